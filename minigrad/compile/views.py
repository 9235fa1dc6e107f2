"""Views made inside compiled code: what ``np.lib.stride_tricks.as_strided`` makes outside numba."""

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic
from numba.np.arrayobj import make_array, populate_array


@intrinsic
def strided_view(typingctx, base, offset, shape, strides, layout, readonly):
    """Inside numba, the view of ``base``'s memory that starts ``offset`` elements in, with ``shape`` and ``strides``
    (bytes) and numba's ``layout`` ("C", "F" or "A") and ``readonly`` flag (literals): what
    ``np.lib.stride_tricks.as_strided`` makes outside. Nothing is checked: the caller knows the view fits (the
    compiled training step rebuilds views the eager kernels were given). The view holds no reference to ``base``
    (no NRT meminfo: making and dropping it costs no atomic reference-count updates), so it must not outlive
    ``base``: the step's views live inside the call that gets the buffers as arguments."""
    if not isinstance(layout, types.StringLiteral) or not isinstance(readonly, types.BooleanLiteral):
        return None  # numba asks again with the literal values
    view_type = types.Array(base.dtype, len(shape), layout.literal_value, readonly=readonly.literal_value)

    def codegen(context, builder, signature, args):
        source = make_array(signature.args[0])(context, builder, args[0])
        view = make_array(view_type)(context, builder)
        populate_array(view, data=builder.gep(source.data, [args[1]]), shape=cgutils.unpack_tuple(builder, args[2]),
                       strides=cgutils.unpack_tuple(builder, args[3]), itemsize=source.itemsize,
                       meminfo=None, parent=source.parent)
        return view._getvalue()

    return view_type(base, offset, shape, strides, layout, readonly), codegen
