"""PyTorch's words: the errors (and warnings) minigrad raises as PyTorch raises them, worded byte for byte.

Each function returns the exception to raise, of PyTorch's type, so that a call site reads
``raise errors.shape_invalid(shape, numel)``; a ``..._warning`` function returns a warning's text; the ``check_...``
functions (and ``check_scalar``) are checks made in several places, which raise the error themselves. Messages
that are minigrad's own (its file format, its CPU-only device, gradcheck) stay where they are raised, and so do
the two of ``dtypes.py``, the one module this one imports.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dtypes

DTypeLike = dtypes.dtype | np.dtype  # a minigrad dtype, or an array's numpy dtype


def outside_minigrad() -> int:
    """The ``stacklevel`` that makes a warning point at its caller's first frame outside minigrad: the user's line,
    however deep inside minigrad the warning is given (as PyTorch's C++ warnings point at the Python line)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] == "minigrad":
        frame, level = frame.f_back, level + 1
    return level


def _named(dtype: DTypeLike) -> dtypes.dtype:
    """The minigrad dtype, which carries the names PyTorch's messages give it."""
    return dtype if isinstance(dtype, dtypes.dtype) else dtypes.from_numpy(dtype)


def _joined(sizes: Sequence[int]) -> str:
    """Sizes as PyTorch's IntArrayRef prints them inside its brackets: ``2, 3``."""
    return ", ".join(map(str, sizes))


def _by(shape: Sequence[int]) -> str:
    """A matrix shape as PyTorch's mm errors print it: ``2x3``."""
    return "x".join(map(str, shape))


# ----- autograd: backward, .grad and requires_grad ------------------------------------------------------------
def backward_without_graph(index: int = 0) -> RuntimeError:
    """``backward()`` (or ``autograd.grad``) from a tensor that does not require grad: the ``index``-th output."""
    return RuntimeError(f"element {index} of tensors does not require grad and does not have a grad_fn")


def implicit_grad_not_scalar() -> RuntimeError:
    """``backward()`` without a gradient on a tensor of more than one element."""
    return RuntimeError("grad can be implicitly created only for scalar outputs")


def grad_output_shape(gradient_shape: Sequence[int], output_shape: Sequence[int], index: int = 0) -> RuntimeError:
    """``backward(gradient)`` with a gradient shaped otherwise than the output (the ``index``-th output)."""
    return RuntimeError(f"Mismatch in shape: grad_output[{index}] has a shape of {gradient_shape} and "
                        f"output[{index}] has a shape of {output_shape}.")


def grad_outputs_count(given: int, outputs: int) -> RuntimeError:
    """``autograd.grad``/``backward`` given another number of gradients than outputs (PyTorch ignores the extra
    ones; minigrad says so)."""
    return RuntimeError(f"got {given} grad_outputs for {outputs} outputs: give one gradient (or None) per output")


def differentiated_without_grad() -> RuntimeError:
    """``autograd.grad`` with respect to a tensor that does not require grad."""
    return RuntimeError("One of the differentiated Tensors does not require grad")


def unused_input(index: int) -> RuntimeError:
    """``autograd.grad`` with respect to a tensor the outputs do not depend on, without ``allow_unused``."""
    return RuntimeError(f"The differentiated Tensor at index {index} appears to not have been used in the graph. "
                        "Set allow_unused=True if this is the desired behavior.")


def empty_backward_inputs() -> RuntimeError:
    """``backward(inputs=[])``."""
    return RuntimeError("`inputs` argument to `backward()` cannot be empty.")


def graph_freed() -> RuntimeError:
    """A second backward through a graph whose saved tensors the first one freed."""
    return RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors after they "
        "have already been freed). Saved intermediate values of the graph are freed when you call .backward() "
        "or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time "
        "or if you need to access saved tensors after calling backward."
    )


def saved_tensor_modified(array: np.ndarray, made_by: str | None, now: int, saved: int,
                          anomaly: bool = False) -> RuntimeError:
    """Backward through an op whose saved ``array`` was overwritten in place since (``made_by``: the op whose
    output it is, ``Exp``, or None for a leaf; ``anomaly``: whether anomaly detection is on, which the hint names)."""
    what = f"[minigrad.{_named(array.dtype).legacy_name} [{_joined(array.shape)}]]"
    if made_by is not None:
        what += f", which is output 0 of {made_by},"
    hint = ("the backtrace further above shows the operation that failed to compute its gradient. The variable in "
            "question was changed in there or anywhere later. Good luck!" if anomaly else
            "enable anomaly detection to find the operation that failed to compute its gradient, with "
            "minigrad.autograd.set_detect_anomaly(True, check_nan=False).")
    return RuntimeError(f"one of the variables needed for gradient computation has been modified by an inplace "
                        f"operation: {what} is at version {now}; expected version {saved} instead. Hint: {hint}")


def requires_grad_not_leaf() -> RuntimeError:
    """Setting ``requires_grad`` on a tensor computed by a recorded op."""
    return RuntimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed "
        "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
    )


_INTEGER_REQUIRES_GRAD = {
    "attribute": "only Tensors of floating point and complex dtype can require gradients",
    "method": "only Tensors of floating point dtype can require gradients",
    "factory": "Only Tensors of floating point and complex dtype can require gradients",
}


def integer_requires_grad(asked_by: str) -> RuntimeError:
    """A tensor that is not floating point asked to require grad, worded as PyTorch words it for the way it was
    asked: ``"attribute"`` (``t.requires_grad = True``), ``"method"`` (``t.requires_grad_()``) or ``"factory"``
    (``tensor(..., requires_grad=True)``, ``nn.Parameter``)."""
    return RuntimeError(_INTEGER_REQUIRES_GRAD[asked_by])


def tensor_of_grad_tensor_warning() -> str:
    """The warning for ``tensor([t, ...])`` where a one-element ``t`` requires grad (its value is taken)."""
    return ("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
            "Consider using tensor.detach() first.")


def tensor_of_tensor_warning() -> str:
    """The warning for ``tensor(t)`` of a tensor ``t`` (it copies, as ``t.detach().clone()`` says more plainly)."""
    return ("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
            "sourceTensor.detach().clone().requires_grad_(True), rather than minigrad.tensor(sourceTensor).")


def create_graph_cycle_warning() -> str:
    """``backward(create_graph=True)``: each leaf's ``.grad`` then holds a graph that holds the leaf (PyTorch warns
    once a process)."""
    return ("Using backward() with create_graph=True will create a reference cycle between the parameter and its "
            "gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid "
            "this. If you have to use this function, make sure to reset the .grad fields of your parameters to None "
            "after use to break the cycle and avoid the leak.")


def non_leaf_grad_warning() -> str:
    """The warning for reading ``.grad`` of a tensor that is not a leaf and did not ``retain_grad()``."""
    return (
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
        "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf "
        "Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
        "you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information."
    )


def grad_not_tensor(value: Any) -> TypeError:
    """Assigning something other than a tensor or None to ``.grad``."""
    return TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")


def grad_dtype_mismatch(grad: DTypeLike, tensor: DTypeLike) -> RuntimeError:
    """Assigning to ``.grad`` a tensor of another dtype."""
    return RuntimeError(
        f"attempting to assign a gradient with dtype '{_named(grad).cpp_name}' to a tensor with "
        f"grad_dtype '{_named(tensor).scalar_name}'. The gradient must match the tensor's grad_dtype "
        "(defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific "
        "dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
        "its gradient may break downstream systems that assume they match."
    )


def grad_size_mismatch(grad_shape: Sequence[int], tensor_shape: Sequence[int]) -> RuntimeError:
    """Assigning to ``.grad`` a tensor of another shape."""
    return RuntimeError(f"attempting to assign a gradient of size '{list(grad_shape)}' to a tensor of size "
                        f"'{list(tensor_shape)}'. Please ensure that the gradient and the tensor are the same size")


def retain_grad_without_grad() -> RuntimeError:
    """``retain_grad()`` on a tensor that does not require grad."""
    return RuntimeError("can't retain_grad on Tensor that has requires_grad=False")


def numpy_requires_grad() -> RuntimeError:
    """``numpy()`` on a tensor that requires grad."""
    return RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")


# ----- in-place writes ------------------------------------------------------------------------------------------
def leaf_inplace() -> RuntimeError:
    """An in-place op on a leaf that requires grad, in grad mode."""
    return RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def leaf_view_inplace() -> RuntimeError:
    """An in-place op on a view of a leaf that requires grad, in grad mode."""
    return RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


def multi_view_inplace(output: int, function: str) -> RuntimeError:
    """A recorded in-place op on one of the views a function returning several views made (``unbind``, ``split``)."""
    return RuntimeError(
        f"Output {output} of {function} is a view and is being modified inplace. This view is the output of a "
        "function that returns multiple views. Such functions do not allow the output views to be modified inplace. "
        "You should replace the inplace operation by an out-of-place one."
    )


def no_grad_view_inplace() -> RuntimeError:
    """A recorded in-place op on a view made in no_grad mode."""
    return RuntimeError(
        "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use "
        "case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the "
        "inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside "
        "(if you want the inplace to be tracked)."
    )


def index_put_dtypes(destination: DTypeLike, source: DTypeLike) -> RuntimeError:
    """``index_put_`` (``x[index] = values``) with values of another dtype."""
    return RuntimeError("Index put requires the source and destination dtypes match, got "
                        f"{_named(destination).scalar_name} for the destination and "
                        f"{_named(source).scalar_name} for the source.")


def index_put_shape(values: Sequence[int], result: Sequence[int]) -> RuntimeError:
    """``x[index] = values`` with values that do not broadcast to the shape x[index] has."""
    return RuntimeError(f"shape mismatch: value tensor of shape {list(values)} cannot be broadcast to indexing result "
                        f"of shape {list(result)}")


def overlapping_write() -> RuntimeError:
    """An in-place write into an expanded tensor, where one memory location stands for several elements."""
    return RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a single "
                        "memory location. Please clone() the tensor before performing the operation.")


def output_shape_mismatch(shape: Sequence[int], broadcast_shape: Sequence[int]) -> RuntimeError:
    """An in-place result (or an ``out=`` tensor) whose broadcast shape is not the written tensor's."""
    return RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape {list(broadcast_shape)}")


def result_type_cast(result: DTypeLike, desired: DTypeLike) -> RuntimeError:
    """An in-place op whose result dtype cannot be written into the tensor (a float into an integer tensor)."""
    return RuntimeError(f"result type {_named(result).scalar_name} can't be cast to the desired output type "
                        f"{_named(desired).scalar_name}")


def out_requires_grad(function: str) -> RuntimeError:
    """``out=`` in a call that autograd would record (an input, or ``out``, requires grad)."""
    return RuntimeError(f"{function}(): functions with out=... arguments don't support automatic differentiation, "
                        "but one of the arguments requires grad.")


def out_resized_warning(shape: Sequence[int], required: Sequence[int]) -> str:
    """An ``out=`` tensor holding elements, of another shape than the result's: it is resized."""
    return (f"An output with one or more elements was resized since it had shape {list(shape)}, which does not match "
            f"the required output shape {list(required)}. This behavior is deprecated, and in a future PyTorch release "
            "outputs will not be resized unless they have zero elements. You can explicitly reuse an out tensor t by "
            "resizing it, inplace, to zero elements with t.resize_(0).")


def fill_value_dims(ndim: int) -> RuntimeError:
    """``fill_`` with a value tensor that has dims."""
    return RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {ndim} dimensions.")


# ----- a tensor as a Python value ------------------------------------------------------------------------------
def item_numel(numel: int) -> RuntimeError:
    """``item()`` on a tensor of more or fewer than one element."""
    return RuntimeError(f"a Tensor with {numel} elements cannot be converted to Scalar")


def python_scalar_numel() -> ValueError:
    """``float()`` or ``int()`` of a tensor of more or fewer than one element."""
    return ValueError("only one element tensors can be converted to Python scalars")


def ambiguous_bool(numel: int = 2) -> RuntimeError:
    """``bool()`` (an ``if``) or ``is_nonzero()`` of a tensor of ``numel`` elements, more or fewer than one."""
    return RuntimeError(f"Boolean value of Tensor with {'no values' if numel == 0 else 'more than one value'} is "
                        "ambiguous")


def not_an_index() -> TypeError:
    """A float tensor, or one of several elements, used where Python wants an integer (``__index__``)."""
    return TypeError("only integer tensors of a single element can be converted to an index")


def len_of_0d() -> TypeError:
    """``len()`` of a 0-d tensor."""
    return TypeError("len() of a 0-d tensor")


def format_spec_not_0d() -> TypeError:
    """A format spec (``f"{t:.2f}"``) for a tensor that is not 0-d."""
    return TypeError("unsupported format string passed to Tensor.__format__")


# ----- arguments: tensors, sequences of tensors, data ---------------------------------------------------------
def not_a_tensor(value: Any, function: str, name: str = "input", position: int = 1) -> TypeError:
    """A function taking a tensor given something else (a list, a number)."""
    return TypeError(f"{function}(): argument '{name}' (position {position}) must be Tensor, not "
                     f"{type(value).__name__}")


def tensors_not_a_sequence(function: str) -> TypeError:
    """``cat`` or ``stack`` given one tensor where a sequence of them is expected."""
    return TypeError(f"{function}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")


def not_a_tensor_element(position: int, value: Any) -> TypeError:
    """``cat`` or ``stack`` given a sequence holding something that is not a tensor."""
    return TypeError(f"expected Tensor as element {position} in argument 0, but got {type(value).__name__}")


def cat_empty() -> ValueError:
    """``cat`` of an empty sequence."""
    return ValueError("minigrad.cat(): expected a non-empty list of Tensors")


def stack_empty() -> RuntimeError:
    """``stack`` of an empty sequence."""
    return RuntimeError("stack expects a non-empty TensorList")


def clamp_without_bounds() -> RuntimeError:
    """``clamp`` with neither ``min`` nor ``max``."""
    return RuntimeError("minigrad.clamp: At least one of 'min' or 'max' must not be None")


def clamp_arguments(function: str, *given: Any) -> TypeError:
    """``clamp`` (``clip``, ``clamp_min``, ``clamp_max``) given one bound a tensor and the other a number, or a bound
    that is neither (PyTorch's two overloads, Tensor bounds or Number bounds, as its function form lists them)."""
    while len(given) > 2 and given[-1] is None:  # (a bound left out is not listed)
        given = given[:-1]
    got = ", ".join("Tensor" if hasattr(x, "_data") else type(x).__name__ for x in given)
    if function.rstrip("_") in ("clamp_min", "clamp_max"):
        bound = function.rstrip("_")[len("clamp_"):]
        overloads = [f"(Tensor input, Tensor {bound}, *, Tensor out = None)",
                     f"(Tensor input, Number {bound}, *, Tensor out = None)"]
    else:
        overloads = ["(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)",
                     "(Tensor input, Number min = None, Number max = None, *, Tensor out = None)"]
    listed = "".join(f" * {o}\n" for o in overloads)
    return TypeError(f"{function}() received an invalid combination of arguments - got ({got}), but expected one "
                     f"of:\n{listed}")


def invalid_data_type(data: Any) -> TypeError:
    """``tensor(data)`` with text (a str, bytes) as the data or, when the dtype is inferred, among it."""
    return TypeError(f"new(): invalid data type '{type(data).__name__}'")


def text_not_number() -> TypeError:
    """A legacy constructor (``FloatTensor``) or ``tensor(..., dtype=)`` given text among its numbers."""
    return TypeError("must be real number, not str")


def cannot_infer_dtype(data: Any) -> RuntimeError:
    """``tensor(data)`` with data that is not numbers or (nested) sequences of numbers."""
    return RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def not_an_ndarray(array: Any) -> TypeError:
    """``from_numpy`` of something that is not a numpy array."""
    return TypeError(f"expected np.ndarray (got {type(array).__name__})")


def negative_strides() -> ValueError:
    """``from_numpy`` of an array with a negative stride (a reversed view)."""
    return ValueError(
        "At least one stride in the given numpy array is negative, and tensors with negative strides are "
        "not currently supported. (You can probably work around this by making a copy of your array  with "
        "array.copy().) "
    )


# ----- dims and shapes ------------------------------------------------------------------------------------------
def dim_out_of_range(dim: int, span: int) -> IndexError:
    """A dim outside [-span, span) for a tensor of ``span`` dims (1 for a 0-d tensor)."""
    return IndexError(f"Dimension out of range (expected to be in range of [{-span}, {span - 1}], but got {dim})")


def dim_repeated(dims: Sequence[int]) -> RuntimeError:
    """A reduction over a list of dims naming one dim twice."""
    return RuntimeError(f"dim {dims} appears multiple times in the list of dims")


def several_inferred_dims() -> RuntimeError:
    """``view``/``reshape`` with more than one -1."""
    return RuntimeError("only one dimension can be inferred")


def shape_invalid(shape: Sequence[int], numel: int) -> RuntimeError:
    """``view``/``reshape`` to a shape that does not hold the tensor's elements."""
    return RuntimeError(f"shape '[{_joined(shape)}]' is invalid for input of size {numel}")


def view_incompatible() -> RuntimeError:
    """``view`` of a tensor whose strides cannot give the new shape without a copy."""
    return RuntimeError("view size is not compatible with input tensor's size and stride (at least one dimension "
                        "spans across two contiguous subspaces). Use .reshape(...) instead.")


def flatten_dims_order() -> RuntimeError:
    """``flatten`` with ``start_dim`` after ``end_dim``."""
    return RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")


def split_sizes_sum(length: int, dim: int, sizes: list[int]) -> RuntimeError:
    """``split`` with sizes that do not add up to the dim's length."""
    return RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's size at "
                        f"dimension {dim}), but got split_sizes={sizes}")


def t_too_many_dims(ndim: int, function: str = "t") -> RuntimeError:
    """``t()`` (or ``t_()``) of a tensor of more than 2 dims."""
    return RuntimeError(f"{function}() expects a tensor with <= 2 dimensions, but self is {ndim}D")


def permute_dims_count(ndim: int, count: int) -> RuntimeError:
    """``permute`` with as many dims as the tensor has not."""
    return RuntimeError(
        f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of "
        f"the desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to len(dims) = {count}"
    )


def permute_duplicate_dims() -> RuntimeError:
    """``permute`` naming a dim twice."""
    return RuntimeError("permute(): duplicate dims are not allowed.")


def expand_too_few_sizes(type_name: str, shape: Sequence[int], sizes: Sequence[int]) -> RuntimeError:
    """``expand`` to fewer sizes than the tensor has dims (``type_name``: its legacy type, ``torch.FloatTensor``)."""
    return RuntimeError(
        f"expand({type_name}{{[{_joined(shape)}]}}, size=[{_joined(sizes)}]): the number of sizes provided "
        f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({len(shape)})"
    )


def expand_size_mismatch(size: int, existing: int, dim: int, target: Sequence[int],
                         tensor: Sequence[int]) -> RuntimeError:
    """``expand`` (or a bias added in ``linear``) changing a dim of size other than 1."""
    return RuntimeError(
        f"The expanded size of the tensor ({size}) must match the existing size ({existing}) at non-singleton "
        f"dimension {dim}.  Target sizes: [{_joined(target)}].  Tensor sizes: [{_joined(tensor)}]"
    )


def repeat_too_few_dims() -> RuntimeError:
    """``repeat`` with fewer repeats than the tensor has dims."""
    return RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")


def cat_zero_dim(position: int) -> RuntimeError:
    """``cat`` of a 0-d tensor."""
    return RuntimeError(f"zero-dimensional tensor (at position {position}) cannot be concatenated")


def cat_dims_mismatch(first: int, other: int) -> RuntimeError:
    """``cat`` of tensors with different numbers of dims."""
    return RuntimeError(f"Tensors must have same number of dimensions: got {first} and {other}")


def cat_size_mismatch(dim: int, expected: int, got: int, position: int) -> RuntimeError:
    """``cat`` of tensors whose sizes differ in a dim other than the one joined."""
    return RuntimeError(f"Sizes of tensors must match except in dimension {dim}. Expected size {expected} but got "
                        f"size {got} for tensor number {position} in the list.")


def stack_size_mismatch(first: Sequence[int], shape: Sequence[int], position: int) -> RuntimeError:
    """``stack`` of tensors of different shapes."""
    return RuntimeError(f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 and "
                        f"{list(shape)} at entry {position}")


def dim_appears_twice(dim: int) -> RuntimeError:
    """``flip`` naming a dim twice."""
    return RuntimeError(f"dim {dim} appears multiple times in the list of dims")


def roll_shifts_required() -> RuntimeError:
    """``roll`` with no shifts."""
    return RuntimeError("`shifts` required")


def roll_shifts_dims(shifts: int, dims: int) -> RuntimeError:
    """``roll`` with a number of shifts that differs from the number of dims."""
    return RuntimeError(f"shifts and dimensions must align. shifts: {shifts}, dims:{dims}")


def rot90_dims_count(count: int) -> RuntimeError:
    """``rot90`` with other than two dims."""
    return RuntimeError(f"expected total rotation dims == 2, but got dims = {count}")


def rot90_total_dims(ndim: int) -> RuntimeError:
    """``rot90`` of a tensor with fewer than two dims."""
    return RuntimeError(f"expected total dims >= 2, but got total dims = {ndim}")


def rot90_same_dims(dim0: int, dim1: int) -> RuntimeError:
    """``rot90`` in a plane of one dim twice."""
    return RuntimeError(f"expected rotation dims to be different, but got dim0 = {dim0} and dim1 = {dim1}")


def narrow_negative_length() -> RuntimeError:
    """``narrow`` with a negative length."""
    return RuntimeError("narrow(): length must be non-negative.")


def narrow_start_range(start: int, size: int) -> IndexError:
    """``narrow`` starting outside the dim."""
    return IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")


def narrow_past_end(start: int, length: int, size: int) -> RuntimeError:
    """``narrow`` running past the end of the dim."""
    return RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")


def unbind_0d() -> IndexError:
    """``unbind`` of a 0-d tensor."""
    return IndexError("Dimension specified as 0 but tensor has no dimensions")


def unflatten_empty() -> RuntimeError:
    """``unflatten`` into no sizes."""
    return RuntimeError("unflatten: sizes must be non-empty")


def unflatten_sizes(sizes: Sequence[int], dim: int, size: int) -> RuntimeError:
    """``unflatten`` into sizes whose product is not the dim's size."""
    return RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({size}) "
                        "in the input tensor")


def movedim_counts(source: Sequence[int], destination: Sequence[int]) -> RuntimeError:
    """``movedim`` with as many sources as destinations."""
    return RuntimeError(f"movedim: Invalid source or destination dims: source ({list(source)} dims) should contain the "
                        f"same number of dims as destination ({list(destination)} dims)")


def movedim_repeated(name: str, dims: Sequence[int]) -> RuntimeError:
    """``movedim`` naming a dim twice in ``source`` or ``destination``."""
    return RuntimeError(f"movedim: repeated dim in `{name}` ({list(dims)})")


def tensor_split_sections(sections: int) -> RuntimeError:
    """``tensor_split`` into no sections."""
    return RuntimeError(f"number of sections must be larger than 0, got {sections}")


def repeats_negative() -> RuntimeError:
    """``repeat_interleave`` with a negative number of repeats."""
    return RuntimeError("Repeats must be non-negative")


def repeats_tensor_negative() -> RuntimeError:
    """``repeat_interleave`` with a tensor of repeats holding a negative one."""
    return RuntimeError("repeats can not be negative")


def repeats_size(repeats: int, size: int, dim: int) -> RuntimeError:
    """``repeat_interleave`` with a tensor of repeats not one per element along ``dim``."""
    return RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = {repeats} and "
                        f"input.size({dim}) = {size}")


def empty_tensor_list(function: str) -> RuntimeError:
    """``hstack``, ``meshgrid`` and the like given no tensors."""
    return RuntimeError(f"{function} expects a non-empty TensorList")


def too_few_dims(least: int) -> RuntimeError:
    """``fliplr`` (2) or ``flipud`` (1) of a tensor with fewer dims."""
    return RuntimeError(f"Input must be >= {least}-d.")


def take_along_dim_dims(ndim: int, index_ndim: int) -> RuntimeError:
    """``take_along_dim`` with indices of another number of dims than the input."""
    return RuntimeError("minigrad.take_along_dim(): input and indices should have the same number of dimensions, "
                        f"but got {ndim} dimensions for input, and {index_ndim} dimensions for indices")


def take_along_dim_dtype(dtype: DTypeLike) -> RuntimeError:
    """``take_along_dim`` with indices that are not int64."""
    return RuntimeError("minigrad.take_along_dim(): dtype of indices should be Long but got "
                        f"{_named(dtype).scalar_name}")


def meshgrid_indexing_warning() -> str:
    """``meshgrid`` called without ``indexing``."""
    return ("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument. (Triggered "
            "internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)")


def meshgrid_indexing(indexing: str) -> RuntimeError:
    """``meshgrid`` with an ``indexing`` other than "xy" or "ij"."""
    return RuntimeError(f'minigrad.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')


def meshgrid_dims(ndim: int) -> RuntimeError:
    """``meshgrid`` of a tensor with more than 1 dim (PyTorch's text then prints the tensor, left out here)."""
    return RuntimeError("minigrad.meshgrid: Expected 0D or 1D tensor in the tensor list but got a tensor with "
                        f"{ndim} dims")


# ----- matmul and linear ----------------------------------------------------------------------------------------
def needs_1d(function: str, a_ndim: int, b_ndim: int) -> RuntimeError:
    """``matmul`` or ``linear`` with a 0-d operand."""
    return RuntimeError(f"both arguments to {function} need to be at least 1D, but they are {a_ndim}D and "
                        f"{b_ndim}D")


def dot_dtypes(a: DTypeLike, b: DTypeLike) -> RuntimeError:
    """``matmul`` of two vectors of different dtypes (PyTorch's ``dot``)."""
    return RuntimeError(f"dot : expected both vectors to have same dtype, but found {_named(a).scalar_name} and "
                        f"{_named(b).scalar_name}")


def addmv_dtypes(matrix: DTypeLike, vector: DTypeLike) -> RuntimeError:
    """``matmul`` of a matrix and a vector of different dtypes (PyTorch's ``addmv``)."""
    vec, mat = _named(vector).scalar_name, _named(matrix).scalar_name
    return RuntimeError(f"addmv input tensors must have the same dtype, but got {vec}, {mat}, and {vec}")


def mm_dtypes(a: DTypeLike, b: DTypeLike) -> RuntimeError:
    """``matmul`` of matrices (or batches) of different dtypes (PyTorch's ``mm``/``bmm``)."""
    return RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_named(a).cpp_name} != "
                        f"{_named(b).cpp_name}")


def linear_dtypes(x: DTypeLike, weight: DTypeLike) -> RuntimeError:
    """``linear`` of an input and a weight of different dtypes (PyTorch's ``addmm``)."""
    return RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_named(x).scalar_name} and "
                        f"{_named(weight).scalar_name}")


def dot_sizes(a: int, b: int) -> RuntimeError:
    """``matmul`` of two vectors of different lengths."""
    return RuntimeError(f"inconsistent tensor size, expected tensor [{a}] and src [{b}] to have the same number of "
                        f"elements, but got {a} and {b} elements respectively")


def addmv_sizes(matrix: Sequence[int], vector: int) -> RuntimeError:
    """``matmul`` of a matrix and a vector whose length is not the matrix's column count."""
    return RuntimeError(f"size mismatch, got input ({matrix[0]}), mat ({_by(matrix)}), vec ({vector})")


def mm_shapes(a: Sequence[int], b: Sequence[int]) -> RuntimeError:
    """``matmul`` (or ``linear``, with the weight transposed) of matrices whose inner sizes differ."""
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_by(a)} and {_by(b)})")


def bmm_sizes(a: Sequence[int], b: Sequence[int], k_a: int, k_b: int) -> RuntimeError:
    """Batched ``matmul`` whose inner sizes (``k_a`` of ``a``, ``k_b`` of ``b``) differ."""
    return RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                        f"[{np.prod(a[:-2], dtype=int)}, {k_a}] but got: [{np.prod(b[:-2], dtype=int)}, {k_b}].")


def not_a_matrix(argument: str, ndim: int | None = None) -> RuntimeError:
    """``mm`` (``ndim`` None) or ``addmm`` given an operand that is not 2-D (``argument``: self, mat1 or mat2)."""
    return RuntimeError(f"{argument} must be a matrix" + ("" if ndim is None else f", got {ndim}-D tensor"))


def not_3d(argument: str) -> RuntimeError:
    """``bmm`` or ``baddbmm`` given a batch that is not 3-D (``argument``: batch1 or batch2)."""
    return RuntimeError(f"{argument} must be a 3D tensor")


def mv_dims(input_ndim: int, matrix_ndim: int, vector_ndim: int) -> RuntimeError:
    """``mv`` or ``addmv`` with operands that are not a vector, a matrix and a vector."""
    return RuntimeError(f"vector + matrix @ vector expected, got {input_ndim}, {matrix_ndim}, {vector_ndim}")


def dot_dims(a_ndim: int, b_ndim: int) -> RuntimeError:
    """``dot`` or ``vdot`` of operands that are not both 1-D."""
    return RuntimeError(f"1D tensors expected, but got {a_ndim}D and {b_ndim}D tensors")


def outer_dims(argument: str, ndim: int) -> RuntimeError:
    """``outer`` of an operand that is not 1-D (``argument``: self or vec2)."""
    return RuntimeError(f"outer: Expected 1-D argument {argument}, but got {ndim}-D")


def inner_sizes(a: Sequence[int], b: Sequence[int]) -> RuntimeError:
    """``inner`` of tensors whose last dims differ."""
    return RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                        f"[{_joined(a)}] and [{_joined(b)}]")


def inner_dtypes() -> RuntimeError:
    """``inner`` of tensors of different dtypes."""
    return RuntimeError("both inputs should have same dtype")


def bmm_dtypes(a: DTypeLike, b: DTypeLike) -> RuntimeError:
    """``bmm`` (or ``baddbmm``) of batches of different dtypes."""
    return RuntimeError(f"expected scalar type {_named(a).scalar_name} but found {_named(b).scalar_name}")


def addmm_dtypes(first: str, a: DTypeLike, b: DTypeLike) -> RuntimeError:
    """``addmm`` with an operand whose dtype differs from mat2's (``first``: self or mat1)."""
    return RuntimeError(f"{first} and mat2 must have the same dtype, but got {_named(a).scalar_name} and "
                        f"{_named(b).scalar_name}")


def addmv_input_dtypes(c: DTypeLike, matrix: DTypeLike, vector: DTypeLike) -> RuntimeError:
    """``addmv`` with operands (input c, matrix, vector) of different dtypes."""
    names = [_named(d).scalar_name for d in (c, matrix, vector)]
    return RuntimeError(f"addmv input tensors must have the same dtype, but got {names[0]}, {names[1]}, and "
                        f"{names[2]}")


def addmv_input_sizes(c: int, matrix: Sequence[int], vector: int) -> RuntimeError:
    """``addmv`` whose input (of ``c`` elements), matrix and vector sizes do not fit together."""
    return RuntimeError(f"size mismatch, got input ({c}), mat ({_by(matrix)}), vec ({vector})")


def baddbmm_dtypes(c: DTypeLike, batch1: DTypeLike, batch2: DTypeLike) -> RuntimeError:
    """``baddbmm`` with an input c whose dtype differs from batch1's."""
    names = [_named(d).cpp_name for d in (c, batch1, batch2)]
    return RuntimeError(f"Input dtypes must be the same, got: input {names[0]}, batch1: {names[1]}, "
                        f"batch2: {names[2]}")


def trace_not_matrix(ndim: int) -> RuntimeError:
    """``trace`` of a tensor that is not 2-D."""
    return RuntimeError(f"trace: expected a matrix, but got tensor with dim {ndim}")


def diag_dims(ndim: int) -> RuntimeError:
    """``diag`` of a tensor that is neither 1-D nor 2-D."""
    return RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {ndim}D")


def diagonal_dims_identical(dim1: int, dim2: int) -> RuntimeError:
    """``diagonal`` or ``diag_embed`` over one dim twice."""
    return RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")


def triangle_dims(function: str) -> RuntimeError:
    """``tril`` or ``triu`` of a tensor of fewer than 2 dims."""
    return RuntimeError(f"{function}: input tensor must have at least 2 dimensions")


def cross_length(dim: int, a: int, b: int) -> RuntimeError:
    """``cross`` over a dim that is not of length 3 in both inputs."""
    return RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {a} and {b}")


def cross_no_length_3() -> RuntimeError:
    """``torch.cross`` without a dim, of inputs that have no dim of length 3."""
    return RuntimeError("no dimension of size 3 in input")


def cross_ndims() -> RuntimeError:
    """``cross`` of inputs with different numbers of dims."""
    return RuntimeError("linalg.cross: inputs must have the same number of dimensions.")


def einsum_invalid_subscript(index: int) -> RuntimeError:
    """``einsum`` with a character that is not a letter where a subscript belongs (``index`` in the equation)."""
    return RuntimeError(f"einsum(): invalid subscript given at index {index} in the equation string, subscripts "
                        "must be in [a-zA-Z]")


def einsum_stray_dot(operand: int) -> RuntimeError:
    """``einsum`` with a '.' that is not part of an ellipsis."""
    return RuntimeError(f"einsum(): found '.' for operand {operand} that is not part of any ellipsis")


def einsum_operand_count(more: bool) -> RuntimeError:
    """``einsum`` given more (or fewer) operands than its equation names."""
    return RuntimeError(f"einsum(): {'more' if more else 'fewer'} operands were provided than specified in the "
                        "equation")


def einsum_subscript_count(count: int, ndim: int, operand: int, ellipsis: bool) -> RuntimeError:
    """``einsum`` with an operand whose subscripts do not fit its dims."""
    if ellipsis:
        return RuntimeError(f"einsum(): the number of subscripts in the equation ({count}) is more than the number "
                            f"of dimensions ({ndim}) for operand {operand}")
    return RuntimeError(f"einsum(): the number of subscripts in the equation ({count}) does not match the number of "
                        f"dimensions ({ndim}) for operand {operand} and no ellipsis was given")


def einsum_output_repeated(label: str) -> RuntimeError:
    """``einsum`` with a subscript twice in the output."""
    return RuntimeError(f"einsum(): output subscript {label} appears more than once in the output")


def einsum_output_unknown(label: str) -> RuntimeError:
    """``einsum`` with an output subscript that no operand has."""
    return RuntimeError(f"einsum(): output subscript {label} does not appear in the equation for any input operand")


def einsum_repeated_sizes(label: str, operand: int, size: int, other: int) -> RuntimeError:
    """``einsum`` with a subscript repeated in one operand over dims of different sizes."""
    return RuntimeError(f"einsum(): subscript {label} is repeated for operand {operand} but the sizes don't match, "
                        f"{size} != {other}")


def einsum_sizes(label: str, size: int, operand: int, seen: int) -> RuntimeError:
    """``einsum`` with a subscript whose sizes in two operands do not broadcast."""
    return RuntimeError(f"einsum(): subscript {label} has size {size} for operand {operand} which does not broadcast "
                        f"with previously seen size {seen}")


def einsum_ellipsis_sizes(dim: int, operand: int, size: int, seen: int) -> RuntimeError:
    """``einsum`` with ellipsis dims that do not broadcast (PyTorch's text lacks a space after the operand)."""
    return RuntimeError(f"einsum(): dimension {dim} covered by ellipsis in operand {operand}has size {size} which "
                        f"does not broadcast with previously seen ellipsis with size {seen} for the respective "
                        "dimension")


def linalg_not_floating(function: str, dtype: DTypeLike) -> RuntimeError:
    """A ``torch.linalg`` function (``linalg.inv``, ``linalg.vector_norm``...) of an integer or bool tensor."""
    return RuntimeError(f"{function}: Expected a floating point or complex tensor as input. Got "
                        f"{_named(dtype).scalar_name}")


def norm_empty(p: float, dim: int | None) -> RuntimeError:
    """The inf (or -inf) norm over an empty tensor (``dim`` None) or an empty dim, which has no identity."""
    where = "an empty tensor because" if dim is None else f"the dimension {dim}because this dimension is empty and"
    return RuntimeError(f"linalg.vector_norm cannot compute the {p} norm on {where} the operation does not have an "
                        "identity")


def matrix_norm_order(order: Any) -> RuntimeError:
    """``matrix_norm`` (or ``norm``) of an order it does not define."""
    return RuntimeError(f"linalg.matrix_norm: Order {order} not supported.")


def eigh_uplo(uplo: str) -> RuntimeError:
    """``eigh`` or ``eigvalsh`` told to read a triangle other than 'L' or 'U'."""
    return RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {uplo}")


def matrix_norm_dims(dims: Sequence[int]) -> RuntimeError:
    """``matrix_norm`` over a number of dims other than 2."""
    return RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}")


def matrix_norm_same_dims(dims: Sequence[int]) -> RuntimeError:
    """``matrix_norm`` over one dim twice."""
    return RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dims[0]}, {dims[1]})")


def matrix_norm_ndim() -> RuntimeError:
    """``matrix_norm`` of a tensor of fewer than 2 dims."""
    return RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")


def linalg_ndim(function: str) -> RuntimeError:
    """A ``torch.linalg`` function of matrices given a tensor of fewer than 2 dims."""
    return RuntimeError(f"{function}: The input tensor A must have at least 2 dimensions.")


def linalg_not_square(function: str, rows: int, cols: int) -> RuntimeError:
    """A ``torch.linalg`` function of square matrices given rows x cols ones."""
    return RuntimeError(f"{function}: A must be batches of square matrices, but they are {rows} by {cols} matrices")


class LinAlgError(RuntimeError):
    """PyTorch's ``torch.linalg.LinAlgError``: a matrix an algorithm cannot handle (singular, not positive-definite)."""


def _batch_element(batch: int | None) -> str:
    return "" if batch is None else f"(Batch element {batch}): "


def singular_inverse(function: str, batch: int | None, pivot: int) -> LinAlgError:
    """``inv`` of a singular matrix: LU's diagonal element ``pivot`` (from 1) is zero (``batch``: which matrix)."""
    return LinAlgError(f"{function}: {_batch_element(batch)}The diagonal element {pivot} is zero, the inversion could "
                       "not be completed because the input matrix is singular.")


def singular_solve() -> LinAlgError:
    """``solve`` with a singular matrix."""
    return LinAlgError("torch.linalg.solve: The solver failed because the input matrix is singular.")


def not_positive_definite(batch: int | None, order: int) -> LinAlgError:
    """``cholesky`` of a matrix whose leading minor of ``order`` is not positive-definite."""
    return LinAlgError(f"linalg.cholesky: {_batch_element(batch)}The factorization could not be completed because the "
                       f"input is not positive-definite (the leading minor of order {order} is not positive-definite).")


def solve_shapes(a: Sequence[int], b: Sequence[int]) -> RuntimeError:
    """``solve`` of A X = B where B's rows are not A's."""
    return RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B ({_by(a)} and {_by(b)})")


def solve_dtypes(a: DTypeLike, b: DTypeLike) -> RuntimeError:
    """``solve`` of A and B of different dtypes."""
    return RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                        f"{_named(a).scalar_name} and B of type {_named(b).scalar_name} instead")


def norm_ord_without_dim(ndim: int) -> RuntimeError:
    """``linalg.norm`` given an ord but no dim, for a tensor neither 1-D nor 2-D."""
    return RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {ndim}D.")


def cross_without_dim_warning() -> str:
    """The UserWarning of ``torch.cross`` called without a dim."""
    return ("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim explicitly "
            "or simply use torch.linalg.cross.\nThe default value of dim will change to agree with that of "
            "linalg.cross in a future release.")


# ----- dtypes and promotion -------------------------------------------------------------------------------------
def not_implemented(kernel: str, dtype: DTypeLike) -> NotImplementedError:
    """A PyTorch kernel that is not built for ``dtype`` (``"abs_cpu" not implemented for 'Bool'``)."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_named(dtype).scalar_name}'")


def check_floating_kernel(kernel: str, dtype: DTypeLike) -> None:
    """``not_implemented`` for a PyTorch kernel built only for floating dtypes (``mse_cpu``, ``batch_norm``)."""
    if not (dtype.kind == "f" if isinstance(dtype, np.dtype) else dtype.is_floating_point):
        raise not_implemented(kernel, dtype)


def half_not_supported(function: str, why: str) -> NotImplementedError:
    """A function minigrad cannot compute for float16 as PyTorch does (``why``): a clear refusal, not other values."""
    return NotImplementedError(f"{function}: float16 (Half) is not supported by minigrad ({why}); compute in "
                               "float32 and convert with .half()")


def scalar_overflow(dtype: DTypeLike) -> RuntimeError:
    """A Python number that does not fit the dtype it is converted to."""
    return RuntimeError(f"value cannot be converted to type {_named(dtype).cpp_source_name} without overflow")


def check_scalar(value: Any, dtype: np.dtype) -> None:
    """PyTorch's ``checked_convert`` of a Python number to a tensor's dtype (fill values, clamp bounds, slopes):
    ``scalar_overflow`` where the number overflows the dtype. Floats may be inf or NaN in float dtypes but not in
    integer ones; negative integers wrap into unsigned ones down to -max; bools, and bool tensors, pass."""
    if dtype.kind == "b" or isinstance(value, (bool, np.bool_)):
        return
    if dtype.kind == "f":
        largest = float(np.finfo(dtype).max)
        bad = isinstance(value, (float, np.floating)) and math.isfinite(value) and abs(value) > largest
    else:
        info = np.iinfo(dtype)
        if isinstance(value, (float, np.floating)):
            bad = not float(info.min) <= value <= float(info.max)  # NaN too
        elif info.min == 0:
            bad = value > info.max or -value > info.max
        else:
            bad = not info.min <= value <= info.max
    if bad:
        raise scalar_overflow(dtype)


_INVERT_HINT = "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."


def deprecated_alpha_overload(method: str) -> str:
    """The warning for ``x.add_(alpha, other)``, PyTorch's deprecated argument order."""
    return (f"This overload of {method} is deprecated:\n\t{method}(Number alpha, Tensor other)\nConsider using one of "
            f"the following signatures instead:\n\t{method}(Tensor other, *, Number alpha = 1)")


def alpha_not_integral() -> RuntimeError:
    """``add``/``sub`` of integer or bool tensors with a float ``alpha``."""
    return RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


def alpha_not_boolean() -> RuntimeError:
    """``add``/``sub`` of non-bool tensors with a bool ``alpha``."""
    return RuntimeError("Boolean alpha only supported for Boolean results.")


def bool_subtraction(both: bool) -> RuntimeError:
    """Subtraction with a bool tensor (``both``: two of them)."""
    if both:
        return RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                            "Use the `^` or `logical_xor()` operator instead.")
    return RuntimeError(f"Subtraction, the `-` operator, with a bool tensor is not supported. {_INVERT_HINT}")


def bool_negation() -> RuntimeError:
    """Negation of a bool tensor."""
    return RuntimeError(f"Negation, the `-` operator, on a bool tensor is not supported. {_INVERT_HINT}")


def relu_bool() -> RuntimeError:
    """``relu`` of a bool tensor."""
    return RuntimeError("Boolean inputs not supported for relu")


def integer_negative_power() -> RuntimeError:
    """An integer tensor to a negative integer power."""
    return RuntimeError("Integers to negative integer powers are not allowed.")


def where_condition_dtype(dtype: DTypeLike) -> RuntimeError:
    """``where`` with a condition that is not bool."""
    return RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                        f"{_named(dtype).scalar_name}")


def masked_fill_mask_dtype(dtype: DTypeLike) -> RuntimeError:
    """``masked_fill`` with a mask that is not bool."""
    return RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                        f"{_named(dtype).scalar_name.lower()}")


def expected_scalar_type(expected: DTypeLike, found: DTypeLike) -> RuntimeError:
    """A kernel given a tensor of another dtype than it expects (``nll_loss``'s weight or spatial target)."""
    return RuntimeError(f"expected scalar type {_named(expected).scalar_name} but found {_named(found).scalar_name}")


def mean_dtype(dtype: DTypeLike) -> RuntimeError:
    """``mean`` of a tensor that is not floating point."""
    return RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                        f"complex dtype. Got: {_named(dtype).scalar_name}")


def std_var_dtype() -> RuntimeError:
    """``std`` or ``var`` of a tensor that is not floating point."""
    return RuntimeError("std and var only support floating point and complex dtypes")


def bool_input(function: str) -> RuntimeError:
    """``argmax``/``argmin`` of a bool tensor."""
    return RuntimeError(f"{function}(): does not support bool input")


def module_to_dtype(dtype: Any) -> TypeError:
    """``Module.to`` with a dtype that is not floating point."""
    return TypeError(f"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype={dtype!r}")


def invert_float() -> TypeError:
    """``~x`` on a float tensor."""
    return TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")


def isclose_dtypes(a: DTypeLike, b: DTypeLike) -> RuntimeError:
    """``isclose``/``allclose`` of tensors of two dtypes (``Float did not match Double``)."""
    return RuntimeError(f"{_named(a).scalar_name} did not match {_named(b).scalar_name}")


# ----- reductions -----------------------------------------------------------------------------------------------
def reduction_dim_needed(function: str) -> RuntimeError:
    """``max``/``argmax``... over all of an empty tensor."""
    return RuntimeError(f"{function}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                        "reduction dim with the 'dim' argument.")


def reduction_dim_empty(function: str, dim: int) -> IndexError:
    """``max``/``min`` along a dim of size 0."""
    return IndexError(f"{function}(): Expected reduction dim {dim} to have non-zero size.")


def aminmax_empty() -> RuntimeError:
    """``aminmax`` of an empty tensor without a dim."""
    return RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.")


def aminmax_dim_empty(dim: int) -> IndexError:
    """``aminmax`` along a dim of size 0 (PyTorch words it without the parentheses of ``reduction_dim_empty``)."""
    return IndexError(f"aminmax: Expected reduction dim {dim} to have non-zero size.")


def positional_arguments(function: str, allowed: int, given: int) -> TypeError:
    """A function given more positional arguments than it takes, as Python words it."""
    return TypeError(f"{function}() takes {allowed} positional argument{'' if allowed == 1 else 's'} but {given} "
                     f"{'was' if given == 1 else 'were'} given")


def dim_and_axis(function: str) -> TypeError:
    """A function given its ``dim`` twice: by that name (or position) and as ``axis=``, numpy's name for it."""
    return TypeError(f"{function}() got an unexpected keyword argument 'axis'")


def missing_dim(function: str) -> TypeError:
    """A function that needs a ``dim`` given none (neither ``dim`` nor ``axis``), as PyTorch's parser words it."""
    return TypeError(f'{function}() missing 1 required positional arguments: "dim"')


def degrees_of_freedom_warning(function: str) -> str:
    """The warning for ``var``/``std`` (``var_mean``, ``std_mean``) with a correction of at least the number of values
    reduced."""
    return (f"{function}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
            "(input numel divided by output numel).")


def topk_out_of_range() -> RuntimeError:
    """``topk`` with k below 0 or above the size of the dim."""
    return RuntimeError("selected index k out of range")


def kthvalue_out_of_range(dim: int) -> RuntimeError:
    """``kthvalue`` with k below 1 or above the size of the dim."""
    return RuntimeError(f"kthvalue(): selected number k out of range for dimension {dim}")


# ----- indexing, gather and scatter -----------------------------------------------------------------------------
def index_of_0d() -> IndexError:
    """An integer index into a 0-d tensor."""
    return IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ "
                      "to convert a 0-dim tensor to a number")


def slice_of_0d() -> IndexError:
    """A slice of a 0-d tensor."""
    return IndexError("slice() cannot be applied to a 0-dim tensor.")


def too_many_indices(ndim: int) -> IndexError:
    """An index with more entries than the tensor has dims."""
    return IndexError(f"too many indices for tensor of dimension {ndim}")


def invalid_index(key: Any) -> IndexError:
    """An index entry that is none of int, slice, None, Ellipsis or an integer/bool tensor (a float)."""
    return IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
                      f"indices (got {type(key).__name__})")


def index_tensor_dtype() -> IndexError:
    """An index tensor that is neither integer nor bool."""
    return IndexError("tensors used as indices must be long, int, byte or bool tensors")


def index_error(error: IndexError) -> IndexError:
    """numpy's IndexError for an index out of range, as PyTorch words it (``dimension`` for numpy's ``axis``)."""
    return IndexError(str(error).replace("axis", "dimension"))


def slice_step() -> ValueError:
    """A slice with a step of 0 or less."""
    return ValueError("step must be greater than zero")


def index_dtype(function: str) -> RuntimeError:
    """``gather``/``scatter`` with an index tensor that is not integer."""
    return RuntimeError(f"{function}(): Expected dtype int32/int64 for index")


def index_dims() -> RuntimeError:
    """``gather``/``scatter`` with an index of another number of dims than the input."""
    return RuntimeError("Index tensor must have the same number of dimensions as input tensor")


def index_out_of_bounds(index: int, dim: int, size: int) -> RuntimeError:
    """``gather``/``scatter`` with an index outside the dim's size."""
    return RuntimeError(f"index {index} is out of bounds for dimension {dim} with size {size}")


def index_size(dim: int, index: Sequence[int], other: str, shape: Sequence[int], axis: int) -> RuntimeError:
    """``gather``/``scatter`` with an index larger than ``other`` (``self`` or ``src``) in a dim but ``axis``."""
    return RuntimeError(f"Size does not match at dimension {dim} expected index {list(index)} to be smaller than "
                        f"{other} {list(shape)} apart from dimension {axis}")


def scatter_dtypes() -> RuntimeError:
    """``scatter`` of a ``src`` tensor of another dtype than the input."""
    return RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")


def index_select_dtype() -> RuntimeError:
    """``index_select`` with an index tensor that is not int32 or int64."""
    return RuntimeError("index_select(): Expected dtype int32 or int64 for index")


def index_not_vector(function: str) -> IndexError:
    """``index_select``/``index_add``/``index_copy`` with an index of more than one dim."""
    return IndexError(f"{function}(): Index is supposed to be a vector")


def index_select_scalar(count: int) -> RuntimeError:
    """``index_select`` of a 0-d tensor with an index of other than one element."""
    return RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {count} value(s)")


def index_select_range() -> IndexError:
    """``index_select`` with an index outside the dim."""
    return IndexError("index out of range in self")


def take_dtype(dtype: DTypeLike) -> RuntimeError:
    """``take`` with an index tensor that is not int64."""
    return RuntimeError(f"take(): Expected a long tensor for index, but got {_named(dtype).scalar_name}")


def take_range(index: int, numel: int) -> IndexError:
    """``take`` with an index outside the tensor."""
    return IndexError(f"out of range: tried to access index {index} on a tensor of {numel} elements.")


def masked_select_dtype() -> RuntimeError:
    """``masked_select`` with a mask that is not bool."""
    return RuntimeError("masked_select: expected BoolTensor for mask")


def index_source_count(function: str, count: int, size: int, dim: int) -> RuntimeError:
    """``index_add`` with a number of indices other than ``source.size(dim)``."""
    return RuntimeError(f"{function}(): Number of indices ({count}) should be equal to source.size(dim): ({size}), "
                        f"for dim: {dim}")


def index_source_dim(function: str, dim: int, ndim: int) -> RuntimeError:
    """``index_add`` along a dim the (not 0-d) source does not have."""
    return RuntimeError(f"{function}(): Indexing dim {dim} is out of bounds of the source tensor with dim {ndim}")


def index_source_dtype(function: str, dtype: DTypeLike, source: DTypeLike) -> RuntimeError:
    """``index_add`` of a source of another dtype."""
    return RuntimeError(f"{function}(): self ({_named(dtype).scalar_name}) and source "
                        f"({_named(source).scalar_name}) must have the same scalar type")


def index_source_shape(shape: Sequence[int], source: Sequence[int]) -> RuntimeError:
    """``index_add`` of a source whose shape differs from the input's outside ``dim``."""
    return RuntimeError("source tensor shape must match self tensor shape, excluding the specified dimension. Got "
                        f"self.shape = {list(shape)} source.shape = {list(source)}")


# ----- factories and random numbers -----------------------------------------------------------------------------
def arange_zero_step() -> RuntimeError:
    """``arange`` with step 0."""
    return RuntimeError("step must be nonzero")


def arange_step_sign() -> RuntimeError:
    """``arange`` whose step points away from ``end``."""
    return RuntimeError("upper bound and larger bound inconsistent with step sign")


def negative_dimension(size: int, shape: Sequence[int]) -> RuntimeError:
    """A factory (``rand``, ``randperm``...) asked for a negative size."""
    return RuntimeError(f"Trying to create tensor with negative dimension {size}: {list(shape)}")


def manual_seed_type(seed: Any) -> RuntimeError:
    """``manual_seed`` of something that is not an integer."""
    return RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")


def long_overflow() -> ValueError:
    """A seed or bound that does not fit a C++ ``long long`` (a seed may reach 2⁶⁴)."""
    return ValueError("Overflow when unpacking long long")


def rng_state_type() -> TypeError:
    """``set_rng_state`` of something that is not a uint8 array (a ByteTensor)."""
    return TypeError("RNG state must be a torch.ByteTensor")


def rng_state_size(expected: int, found: int) -> RuntimeError:
    """``set_rng_state`` of an array of the wrong size."""
    return RuntimeError(f"Expected a CPUGeneratorImplState of size {expected} but found the input RNG state size to "
                        f"be {found}")


def rng_state_invalid() -> RuntimeError:
    """``set_rng_state`` of bytes that are no mt19937 state."""
    return RuntimeError("Invalid mt19937 state")


def randint_range(low: int, high: int) -> RuntimeError:
    """``randint`` with ``low >= high``."""
    return RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")


def randint_cast_range(low: int, high: int) -> RuntimeError:
    """``randint`` into a float dtype whose rounding of ``low`` and ``high`` leaves no range."""
    return RuntimeError("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got "
                        f"from={low} >= to={high}")


def bound_out_of_range(name: str, dtype: DTypeLike) -> RuntimeError:
    """A random bound (``from``, ``to``, ``to - 1``) outside the range of the dtype drawn into."""
    return RuntimeError(f"{name} is out of bounds for {_named(dtype).cpp_name}")


def uniform_range(low: float, high: float) -> RuntimeError:
    """``uniform_`` with ``from > to``."""
    return RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={low:g} > to={high:g}")


def uniform_span(dtype: DTypeLike, low: float, high: float) -> RuntimeError:
    """``uniform_`` whose ``to - from`` overflows the dtype."""
    return RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<{_named(dtype).scalar_name}>::max(), but "
                        f"found to={high:g} and from={low:g} which result in to-from to exceed the limit")


def normal_std(std: float) -> RuntimeError:
    """``normal_``/``randn`` with a negative (or NaN) standard deviation."""
    return RuntimeError(f"normal expects std >= 0.0, but found std {float(std):g}")


def randint_precision_warning(name: str, digits: int, dtype: DTypeLike) -> str:
    """The warning for ``randint`` into a float dtype with a bound past 2^digits, where integers stop being exact."""
    return (f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations "
            f"{_named(dtype).cpp_name} can support discrete uniform distribution only within this range. This warning "
            "will become an error in version 1.7 release, please fix the code in advance")


def randperm_precision(digits: int, dtype: DTypeLike) -> RuntimeError:
    """``randperm(n)`` into a float dtype that cannot hold every integer below ``n``."""
    return RuntimeError(f"n cannot be greater than 2^{digits}+1 for {_named(dtype).scalar_name} type.")


def negative_steps() -> RuntimeError:
    """``linspace``/``logspace`` with steps < 0."""
    return RuntimeError("number of steps must be non-negative")


def eye_negative(name: str, value: int) -> RuntimeError:
    """``eye(n, m)`` with a negative ``n`` or ``m``."""
    return RuntimeError(f"{name} must be greater or equal to 0, got {value}")


def no_cuda() -> AssertionError:
    """A CUDA device asked of a build without CUDA (``.cuda()``, ``device='cuda'``)."""
    return AssertionError("Torch not compiled with CUDA enabled")


def default_dtype_not_float() -> TypeError:
    """``set_default_dtype`` with a dtype that is not floating point."""
    return TypeError("only floating-point types are supported as the default type")


def distribution_parameter(function: str, name: str, condition: str, value: float) -> RuntimeError:
    """A sampler's parameter out of its range (``exponential_ expects lambda > 0.0, but found lambda=0``); the
    parameter in ``condition`` is written ``{name}``."""
    found = "got" if condition.startswith("to be") else "found"
    return RuntimeError(f"{function} expects {name} {condition}, but {found} {name}={float(value):g}")


def continuous_distribution(name: str, dtype: DTypeLike, cpp: bool = False) -> RuntimeError:
    """A continuous sampler (``exponential_``, ``cauchy_``) on an integer tensor."""
    named = _named(dtype)
    return RuntimeError(f"{name} distribution is a continuous probability distribution. dtype must be a floating "
                        f"point but you specified {named.cpp_name if cpp else named.scalar_name}")


def bernoulli_tensor_p() -> RuntimeError:
    """``bernoulli`` with a probability tensor holding a value outside [0, 1]."""
    return RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be "
                        "improved?  If so, please report an enhancement request to PyTorch.)")


def randint_arguments(args: tuple[Any, ...], named: dict[str, Any]) -> TypeError:
    """``randint`` given arguments that fit none of its overloads, or more than one by their count (PyTorch's
    argument parser lists the overloads; its names read as minigrad's)."""
    got = ", ".join([type(a).__name__ for a in args] + [f"{k}={type(v).__name__}" for k, v in named.items()])
    options = ("*, minigrad.Generator generator, Tensor out = None, minigrad.dtype dtype = None, minigrad.layout "
               "layout = None, minigrad.device device = None, bool pin_memory = False, bool requires_grad = False",
               "*, Tensor out = None, minigrad.dtype dtype = None, minigrad.layout layout = None, minigrad.device "
               "device = None, bool pin_memory = False, bool requires_grad = False")
    listed = "".join(f" * ({params}, {rest})\n" for params in ("int high, tuple of ints size",
                                                                "int low, int high, tuple of ints size")
                     for rest in options)
    return TypeError(f"randint() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     f"{listed}")


def normal_needs_size() -> TypeError:
    """``normal(mean, std)`` with two numbers and no size (the first line of PyTorch's message)."""
    return TypeError("normal() received an invalid combination of arguments - got (float, float), but expected one "
                     "of:")


def legacy_constructor_arguments(args: tuple[Any, ...]) -> TypeError:
    """``Tensor(...)`` (or ``FloatTensor``...) given several arguments that are not all sizes (the first line of
    PyTorch's message)."""
    got = ", ".join(type(a).__name__ for a in args)
    return TypeError(f"new() received an invalid combination of arguments - got ({got}), but expected one of:")


def rounding_mode(mode: Any) -> RuntimeError:
    """``div`` with a rounding mode other than None, "trunc" and "floor"."""
    return RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{mode}'")


def detach_view_inplace() -> RuntimeError:
    """``detach_()`` on a view of a tensor that requires grad."""
    return RuntimeError("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
                        "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
                        "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
                        "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")


def mt_needs_matrices(ndim: int) -> RuntimeError:
    """``x.mT`` of a tensor of fewer than 2 dims."""
    return RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {ndim}-D tensor.")


def where_arguments(*given: Any) -> TypeError:
    """``where`` given a condition and one of input and other (PyTorch's signatures listed)."""
    got = ", ".join("Tensor" if hasattr(x, "_data") else type(x).__name__ for x in given if x is not None)
    return TypeError(f"where() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     " * (Tensor condition)\n"
                     " * (Tensor condition, Tensor input, Tensor other, *, Tensor out = None)\n"
                     " * (Tensor condition, Number self, Tensor other)\n"
                     " * (Tensor condition, Tensor input, Number other)\n"
                     " * (Tensor condition, Number self, Number other)\n")


def normal_std_tensor() -> RuntimeError:
    """``normal(mean, std)`` with a negative entry in the std tensor."""
    return RuntimeError("normal expects all elements of std >= 0.0")


def random_from_to_order(low: int, high: int) -> RuntimeError:
    """``random_(from, to)`` with from >= to."""
    return RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")


def multinomial_error(problem: str) -> RuntimeError:
    """``multinomial`` refusing its input; ``problem`` is one of the keys of ``_MULTINOMIAL``."""
    return RuntimeError(_MULTINOMIAL[problem])


_MULTINOMIAL = {
    "dims": "prob_dist must be 1 or 2 dim",
    "samples": "cannot sample n_sample <= 0 samples",
    "too_many": "cannot sample n_sample > prob_dist.size(-1) samples without replacement",
    "invalid": "probability tensor contains either `inf`, `nan` or element < 0",
    "zero_sum": "invalid multinomial distribution (sum of probabilities <= 0)",
    "negative": "invalid multinomial distribution (encountering probability entry < 0)",
    "not_finite": "invalid multinomial distribution (encountering probability entry = infinity or NaN)",
}


def multinomial_dtype(dtype: DTypeLike) -> RuntimeError:
    """``multinomial`` of an integer tensor."""
    return RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {_named(dtype).scalar_name}")


def poisson_rate() -> RuntimeError:
    """``poisson`` with a negative rate."""
    return RuntimeError("invalid Poisson rate, expected rate to be non-negative")


# ----- nn.functional: losses, activations, normalization, dropout -----------------------------------------------
def check_reduction(reduction: str) -> None:
    """A loss's ``reduction`` must be ``'none'``, ``'mean'`` or ``'sum'``."""
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def size_average_warning(reduction: str) -> str:
    """The warning for a loss module given the old ``size_average``/``reduce`` arguments."""
    return f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead."


def target_size_warning(target: Sequence[int], input: Sequence[int]) -> str:  # noqa: A002  (PyTorch's name)
    """The warning for ``mse_loss``/``l1_loss`` with a target that broadcasts against the input."""
    return (f"Using a target size ({target}) that is different to the input size ({input}). This will likely lead "
            "to incorrect results due to broadcasting. Please ensure they have the same size.")


def weight_size() -> ValueError:
    """``mse_loss``/``l1_loss`` with a weight shaped otherwise than the input."""
    return ValueError("Weights and input must have the same size.")


def probabilities_range(name: str) -> RuntimeError:
    """``binary_cross_entropy`` with an input or target outside [0, 1] (or NaN)."""
    return RuntimeError(f"all elements of {name} should be between 0 and 1")


def bce_target_size(target: Sequence[int], input: Sequence[int]) -> ValueError:  # noqa: A002
    """``binary_cross_entropy`` with a target shaped otherwise than the input."""
    return ValueError(f"Using a target size ({target}) that is different to the input size ({input}) is deprecated. "
                      "Please ensure they have the same size.")


def bce_dtype(found: DTypeLike, expected: DTypeLike) -> RuntimeError:
    """``binary_cross_entropy`` with a target of another dtype than the input."""
    return RuntimeError(f"Found dtype {_named(found).scalar_name} but expected {_named(expected).scalar_name}")


def bce_logits_target_size(target: Sequence[int], input: Sequence[int]) -> ValueError:  # noqa: A002
    """``binary_cross_entropy_with_logits`` with a target shaped otherwise than the input."""
    return ValueError(f"Target size ({target}) must be the same as input size ({input})")


def implicit_dim_warning(function: str) -> str:
    """The warning for ``softmax``/``log_softmax`` without a ``dim``."""
    return (f"Implicit dimension choice for {function} has been deprecated. Change the call to include dim=X as an "
            "argument.")


def nll_input_dims(ndim: int) -> ValueError:
    """``nll_loss`` of a 0-d input."""
    return ValueError(f"Expected 1 or more dimensions (got {ndim})")


def nll_batch_size(input_batch: int, target_batch: int) -> ValueError:
    """``nll_loss`` with input and target of different batch sizes."""
    return ValueError(f"Expected input batch_size ({input_batch}) to match target batch_size ({target_batch}).")


def nll_target_size(expected: list[int], got: list[int]) -> RuntimeError:
    """``nll_loss`` of a 3-d or 5-d+ input with a target of the wrong spatial shape."""
    return RuntimeError(f"Expected target size {expected}, got {got}")


def nll_weight_requires_grad() -> RuntimeError:
    """``nll_loss`` in grad mode with a weight that requires grad."""
    return RuntimeError("The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'. "
                        "This input cannot have requires_grad True.")


def nll_spatial_target_dims(ndim: int) -> RuntimeError:
    """``nll_loss`` of a 4-d input with a target that is not 3-d."""
    return RuntimeError(f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {ndim}")


def nll_multi_target() -> RuntimeError:
    """``nll_loss`` of a 1-d or 2-d input with a target of more than 1 dim."""
    return RuntimeError("0D or 1D target tensor expected, multi-target not supported")


def nll_target_dtype(dtype: DTypeLike) -> RuntimeError:
    """``nll_loss`` with a target that is neither int64 nor uint8."""
    return RuntimeError(f"expected target dtype to be Long or Byte, but got {_named(dtype).scalar_name}")


def nll_1d_target_size(size: int) -> ValueError:
    """``nll_loss`` of a 1-d input with a 1-d target of more than one element."""
    return ValueError(f"For 1D input, 1D target must have size 1, but got target size: {size}")


def nll_weight_classes(classes: int, shape: list[int]) -> RuntimeError:
    """``nll_loss`` of a 1-d or 2-d input with a weight that is not one value per class."""
    return RuntimeError(f"weight tensor should be defined either for all {classes} classes or no classes but got "
                        f"weight tensor of shape: {shape}")


def nll_weight_all_classes() -> RuntimeError:
    """``nll_loss`` of a 3-d+ input with a weight that is not one value per class."""
    return RuntimeError("weight tensor should be defined either for all or no classes")


def nll_spatial_size(input: list[int], target: list[int]) -> RuntimeError:  # noqa: A002
    """``nll_loss`` of a 4-d input with a target of another batch or spatial shape."""
    return RuntimeError(f"size mismatch (got input: {input} , target: {target}")


def check_label_smoothing(label_smoothing: float) -> None:
    """``cross_entropy``'s ``label_smoothing`` must be at most 1."""
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")


def cross_entropy_target_dtype(dtype: DTypeLike) -> RuntimeError:
    """``cross_entropy`` with class probabilities that are not floating point."""
    return RuntimeError(f"Expected floating point type for target with class probabilities, got "
                        f"{_named(dtype).scalar_name}")


def cross_entropy_ignore_index() -> RuntimeError:
    """``cross_entropy`` with class probabilities and an ``ignore_index``."""
    return RuntimeError("ignore_index is not supported for floating point target")


def cross_entropy_weight(classes: int, shape: list[int]) -> RuntimeError:
    """``cross_entropy`` with class probabilities and a weight that is not one value per class."""
    return RuntimeError(f"cross_entropy: weight tensor should be defined either for all {classes} classes or no "
                        f"classes but got weight tensor of shape: {shape}")


def one_hot_dtype() -> RuntimeError:
    """``one_hot`` of a tensor that is not int64."""
    return RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")


def one_hot_empty() -> RuntimeError:
    """``one_hot`` of an empty tensor without ``num_classes``."""
    return RuntimeError("Can not infer total number of classes from empty tensor.")


def one_hot_negative() -> RuntimeError:
    """``one_hot`` of a negative class."""
    return RuntimeError("Class values must be non-negative.")


def one_hot_too_large() -> RuntimeError:
    """``one_hot`` of a class not below ``num_classes``."""
    return RuntimeError("Class values must be smaller than num_classes.")


def batch_norm_one_value(size: Sequence[int]) -> ValueError:
    """``batch_norm`` in training with one value per channel."""
    return ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def batch_norm_eps(eps: float, training: bool) -> ValueError:
    """``batch_norm`` with an eps that is not positive (in training) or negative."""
    if training:
        return ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    return ValueError(f"batch_norm eps must be non-negative, but got {eps}")


def batch_norm_missing(name: str) -> RuntimeError:
    """``batch_norm`` in evaluation mode without a running statistic."""
    return RuntimeError(f"{name} must be defined in evaluation mode")


def batch_norm_size(name: str, features: int, numel: int) -> RuntimeError:
    """``batch_norm`` with a statistic, weight or bias that is not one value per channel."""
    return RuntimeError(f"{name} should contain {features} elements not {numel}")


def batch_norm_dtypes() -> RuntimeError:
    """``batch_norm`` with statistics, weight or bias of another dtype than the input."""
    return RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def batch_norm_input(dims: Sequence[int], ndim: int) -> ValueError:
    """A batch or instance norm module's input of another rank than ``dims`` (``BatchNorm1d``: 2 or 3)."""
    return ValueError(f"expected {' or '.join(f'{d}D' for d in dims)} input (got {ndim}D input)")


def check_dropout_probability(p: float) -> None:
    """``dropout``'s ``p`` must be in [0, 1]."""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def gelu_approximate() -> RuntimeError:
    """``gelu`` with an ``approximate`` other than 'none' or 'tanh'."""
    return RuntimeError("approximate argument must be either none or tanh.")


def hardtanh_bounds() -> ValueError:
    """``hardtanh`` with min_val > max_val."""
    return ValueError("min_val cannot be greater than max_val")


def hardtanh_bool() -> RuntimeError:
    """``hardtanh`` of a bool tensor."""
    return RuntimeError("Bool inputs not supported for hardtanh")


def hardtanh_unsigned() -> RuntimeError:
    """``hardtanh`` of a uint8 tensor with a bound below 0 (after truncation to an integer)."""
    return RuntimeError("cannot do hardtanh on an unsigned type with negative limits")


def hardtanh_module_bounds(min_val: float, max_val: float) -> AssertionError:
    """``nn.Hardtanh`` with max_val <= min_val: PyTorch asserts it."""
    return AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")


def softshrink_lambda(lambd: float, dtype: DTypeLike) -> RuntimeError:
    """``softshrink`` with a negative lambda."""
    named = _named(dtype)
    return RuntimeError(f"lambda must be in range [0, {float(np.finfo(named.np).max):g}] for input dtype "
                        f"{named.scalar_name}, but found {lambd:g}")


def celu_alpha() -> RuntimeError:
    """``celu`` with alpha = 0 (its input is scaled by 1 / alpha)."""
    return RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")


def glu_scalar() -> RuntimeError:
    """``glu`` of a 0-d tensor."""
    return RuntimeError("glu does not support scalars because halving size must be even")


def glu_odd(dim: int, size: int) -> RuntimeError:
    """``glu`` along a dim of odd size."""
    return RuntimeError(f"Halving dimension must be even, but dimension {dim} is size {size}")


def prelu_weight_dims(ndim: int) -> RuntimeError:
    """``prelu`` with a weight of 2 or more dims."""
    return RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {ndim}")


def pad_odd_length() -> RuntimeError:
    """``pad`` with an odd number of amounts."""
    return RuntimeError("Padding length must be divisible by 2")


def pad_too_long(length: int, ndim: int) -> RuntimeError:
    """``pad`` with more (before, after) pairs than the input has dims."""
    return RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                        f"padding length {length} and input of dimension {ndim}")


def pad_mode(mode: str) -> NotImplementedError:
    """``pad`` with a mode other than constant, reflect, replicate and circular."""
    return NotImplementedError(f"Unrecognised padding mode {mode}")


def pad_value_with_mode(mode: str) -> RuntimeError:
    """A fill value given to a non-constant ``pad``."""
    return RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')


def pad_non_constant_size(length: int, ndim: int) -> NotImplementedError:
    """A non-constant ``pad`` of a number of dims it does not support for the input's rank."""
    return NotImplementedError(
        f"Padding size {length} is not supported for {ndim}D input tensor.\n"
        "Supported combinations for non-constant padding:\n"
        "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
        "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
        "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def pad_reflect_size(before: int, after: int, dim: int, shape: list[int]) -> RuntimeError:
    """A reflect ``pad`` at least as wide as the dim it reflects."""
    return RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, but got: "
                        f"padding ({before}, {after}) at dimension {dim} of input {shape}")


def pad_circular_wraps() -> RuntimeError:
    """A circular ``pad`` wider than the dim it wraps."""
    return RuntimeError("Padding value causes wrapping around more than once.")


def negative_loss_parameter(loss: str, name: str) -> RuntimeError:
    """``smooth_l1_loss`` with beta < 0, ``huber_loss`` with delta <= 0."""
    kind = "negative" if name == "beta" else "non-positive"
    return RuntimeError(f"{loss} does not support {kind} values for {name}.")


def kl_div_mean_warning() -> str:
    """The warning for ``kl_div(reduction='mean')``."""
    return ("reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' "
            "divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to "
            "behave the same as 'batchmean' in the next major release.")


def gaussian_nll_var_size() -> ValueError:
    """``gaussian_nll_loss`` with a var that neither matches the input nor lacks only its last dim (or has it 1)."""
    return ValueError("var is of incorrect size")


def gaussian_nll_var_negative() -> ValueError:
    """``gaussian_nll_loss`` with a negative variance."""
    return ValueError("var has negative entry/entries")


def margin_ranking_dims(input1: Sequence[int], input2: Sequence[int], target: Sequence[int]) -> RuntimeError:
    """``margin_ranking_loss`` with inputs of different ranks (sizes as ``Size`` prints them)."""
    return RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: "
                        f"{input1}, input2: {input2}, target: {target} ")


def cosine_embedding_target_dims() -> RuntimeError:
    """``cosine_embedding_loss`` with a target of 2 or more dims."""
    return RuntimeError("0D or 1D target tensor expected, multi-target not supported")


def cosine_embedding_input_dims(target_dim: int, input1: Sequence[int], input2: Sequence[int]) -> RuntimeError:
    """``cosine_embedding_loss`` with inputs not of one dim more than the target."""
    return RuntimeError(f"{target_dim}D target tensor expects {target_dim + 1}D input tensors, but found inputs with "
                        f"sizes {list(input1)} and {list(input2)}.")


def triplet_dims(anchor: int, positive: int, negative: int) -> RuntimeError:
    """``triplet_margin_loss`` with inputs of different ranks."""
    return RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                        f"dimensions, but got: anchor {anchor}D, positive {positive}D, and negative {negative}D inputs")


def pdist_dims(ndim: int) -> RuntimeError:
    """``pdist`` of a tensor that is not 2-D."""
    return RuntimeError(f"pdist only supports 2D tensors, got: {ndim}D")


def pdist_dtype() -> RuntimeError:
    """``pdist`` of an integer or bool tensor."""
    return RuntimeError("pdist only supports floating-point dtypes")


def pdist_negative_p() -> RuntimeError:
    """``pdist`` with p < 0."""
    return RuntimeError("pdist only supports non-negative p values")


def trunc_normal_mean_warning() -> str:
    """The warning for ``nn.init.trunc_normal_`` with a mean far outside [a, b]."""
    return "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect."


def init_dims(supported: str) -> ValueError:
    """``nn.init.eye_`` (2) or ``dirac_`` (3, 4, or 5) given a tensor of another rank."""
    return ValueError(f"Only tensors with {supported} dimensions are supported")


def dirac_groups() -> ValueError:
    """``nn.init.dirac_`` with more groups than divide the output channels."""
    return ValueError("dim 0 must be divisible by groups")


def not_differentiable_argument(function: str, argument: str) -> RuntimeError:
    """A tensor that requires grad given, in grad mode, where PyTorch's kernel has no gradient for it."""
    return RuntimeError(f"The function '{function}' is not differentiable with respect to argument '{argument}'. "
                        "This input cannot have requires_grad True.")


def multi_margin_p() -> ValueError:
    """``multi_margin_loss`` with p other than 1 and 2."""
    return ValueError("only p == 1 and p == 2 supported")


def nonfinite_grad_norm(norm_type: float) -> RuntimeError:
    """``clip_grad_norm_(error_if_nonfinite=True)`` whose total norm is inf or nan."""
    return RuntimeError(f"The total norm of order {float(norm_type)} for gradients from `parameters` is non-finite, "
                        "so it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                        "norm anyway, set `error_if_nonfinite=False`")


def expected_tensor_got(name: str) -> TypeError:
    """``vector_to_parameters`` given something other than a tensor as the vector."""
    return TypeError(f"expected minigrad.Tensor, but got: {name}")


def prelu_promotion(input: DTypeLike, weight: DTypeLike) -> RuntimeError:  # noqa: A002  (PyTorch's name)
    """``prelu`` with a weight of another dtype than the input."""
    return RuntimeError(f"prelu: Type promoting not supported. Got {_named(input).scalar_name} and "
                        f"{_named(weight).scalar_name}")


def prelu_channels(parameters: int, channels: int) -> RuntimeError:
    """``prelu`` with a weight of neither 1 nor the input's channel count (dim 1) elements."""
    return RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                        f"{parameters} and channel size = {channels}.")


# ----- nn.Module, containers and nn.init -------------------------------------------------------------------------
def missing_forward(module: str) -> NotImplementedError:
    """Calling a module whose class defines no ``forward``."""
    return NotImplementedError(f'Module [{module}] is missing the required "forward" function')


def assigned_before_init(kind: str) -> AttributeError:
    """Assigning a parameter or module (``kind``) to a module before ``Module.__init__`` ran."""
    return AttributeError(f"cannot assign {kind} before Module.__init__() call")


def assigned_wrong_type(type_name: str, role: str, name: str) -> TypeError:
    """Assigning something of the wrong type to a registered parameter, child module or buffer (``role``)."""
    expected = {"parameter": "minigrad.nn.Parameter", "child module": "minigrad.nn.Module",
                "buffer": "minigrad.Tensor"}[role]
    return TypeError(f"cannot assign '{type_name}' as {role} '{name}' ({expected} or None expected)")


def register_not_parameter(type_name: str, name: str) -> TypeError:
    """``register_parameter`` of something that is not a Parameter (or None)."""
    return TypeError(f"cannot assign '{type_name}' object to parameter '{name}' (minigrad.nn.Parameter or None "
                     "required)")


def no_attribute(type_name: str, name: str) -> AttributeError:
    """Reading an attribute a module does not have."""
    return AttributeError(f"'{type_name}' object has no attribute '{name}'")


def training_mode_not_bool() -> ValueError:
    """``train(mode)`` with a mode that is not a bool."""
    return ValueError("training mode is expected to be boolean")


def state_dict_not_mapping(state_dict: Any) -> TypeError:
    """``load_state_dict`` of something that is not a mapping."""
    return TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")


def missing_keys(keys: list[str]) -> str:
    """One problem of a strict ``load_state_dict``: the module's keys the state dict lacks."""
    return "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in keys) + ". "


def unexpected_keys(keys: list[str]) -> str:
    """One problem of a strict ``load_state_dict``: the state dict's keys the module lacks."""
    return "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in keys) + ". "


def state_dict_not_tensor(key: str, value: Any) -> str:
    """One problem of ``load_state_dict``: a value that is not a tensor."""
    return (f'While copying the parameter named "{key}", expected minigrad.Tensor or Tensor-like object from '
            f"checkpoint but received {type(value)}")


def state_dict_size_mismatch(key: str, saved: Sequence[int], own: Sequence[int]) -> str:
    """One problem of ``load_state_dict``: a tensor shaped otherwise than the module's (shapes as ``Size``)."""
    return (f"size mismatch for {key}: copying a param with shape {saved} from checkpoint, the shape in current "
            f"model is {own}.")


def state_dict_problems(module: str, problems: list[str]) -> RuntimeError:
    """``load_state_dict`` with the problems above, all listed."""
    return RuntimeError(f"Error(s) in loading state_dict for {module}:\n\t" + "\n\t".join(problems))


def not_a_module(type_name: str) -> TypeError:
    """``Sequential`` or ``add_module`` given something that is not a Module."""
    return TypeError(f"{type_name} is not a Module subclass")


def module_index(index: int) -> IndexError:
    """A ``Sequential``/``ModuleList`` index past its length."""
    return IndexError(f"index {index} is out of range")


def extend_not_iterable(modules: Any) -> TypeError:
    """``ModuleList.extend`` of something that is not iterable."""
    return TypeError(f"ModuleList.extend should be called with an iterable, but got {type(modules).__name__}")


def negative_slope_invalid(param: Any) -> ValueError:
    """``calculate_gain('leaky_relu', param)`` with a param that is not a number."""
    return ValueError(f"negative_slope {param} not a valid number")


def unsupported_nonlinearity(nonlinearity: str) -> ValueError:
    """``calculate_gain`` of a nonlinearity it does not know."""
    return ValueError(f"Unsupported nonlinearity {nonlinearity}")


def fan_of_1d() -> ValueError:
    """A fan-based init (``kaiming_``, ``xavier_``) of a tensor of fewer than 2 dims."""
    return ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")


def fan_mode(mode: str) -> ValueError:
    """A kaiming init with a mode other than ``fan_in`` and ``fan_out``."""
    return ValueError(f"Mode {mode} not supported, please use one of {['fan_in', 'fan_out']}")


def zero_element_init_warning() -> str:
    """The warning for initializing a tensor with no elements."""
    return "Initializing zero-element tensors is a no-op"


# ----- optimizers and schedulers --------------------------------------------------------------------------------
def params_is_tensor(type_name: str) -> TypeError:
    """An optimizer given one tensor instead of an iterable of them (``type_name``: its legacy type)."""
    return TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
                     + type_name)


def empty_params() -> ValueError:
    """An optimizer given no parameters."""
    return ValueError("optimizer got an empty parameter list")


def param_group_not_dict(group: Any) -> TypeError:
    """``add_param_group`` of something that is not a dict."""
    return TypeError(f"param_group must be a dict, but got {type(group).__name__}")


def not_optimizable(param: Any) -> TypeError:
    """An optimizer given a parameter that is not a tensor."""
    return TypeError("optimizer can only optimize Tensors, but one of the params is " + type(param).__name__)


def non_leaf_param() -> ValueError:
    """An optimizer given a tensor computed by a recorded op."""
    return ValueError("can't optimize a non-leaf Tensor")


def duplicate_params() -> ValueError:
    """An optimizer given one parameter in two groups."""
    return ValueError("some parameters appear in more than one parameter group")


def state_dict_groups() -> ValueError:
    """An optimizer's ``load_state_dict`` with another number of groups."""
    return ValueError("loaded state dict has a different number of parameter groups")


def state_dict_group_size() -> ValueError:
    """An optimizer's ``load_state_dict`` with a group of another size."""
    return ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group")


_HYPERPARAMETER_LABELS = {"lr": "learning rate", "eps": "epsilon value"}


def check_nonnegative(**hyperparameters: float) -> None:
    """An optimizer's hyperparameters must not be negative; PyTorch's error names the first, in the order given:
    ``Invalid learning rate: -1``."""
    for name, value in hyperparameters.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {_HYPERPARAMETER_LABELS.get(name, name + ' value')}: {value}")


def check_betas(betas: tuple[float, float]) -> None:
    """Adam's and NAdam's betas must lie in [0, 1)."""
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")


def check_fused(fused: bool | None, differentiable: bool, foreach: bool | None) -> None:
    """The option combinations PyTorch's fused optimizers refuse."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def invalid_rho(rho: float) -> ValueError:
    """Adadelta with a rho outside [0, 1]."""
    return ValueError(f"Invalid rho value: {rho}")


def invalid_etas(etas: tuple[float, float]) -> ValueError:
    """Rprop with etas not 0 < etaminus < 1 < etaplus."""
    return ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")


def lbfgs_groups() -> ValueError:
    """LBFGS given more than one parameter group."""
    return ValueError("LBFGS doesn't support per-parameter options (parameter groups)")


def lbfgs_line_search() -> RuntimeError:
    """LBFGS with a line search other than strong_wolfe (raised at the first step that searches)."""
    return RuntimeError("only 'strong_wolfe' is supported")


def betas_types() -> ValueError:
    """Adam with betas that are not both floats."""
    return ValueError("betas must be either both floats or both Tensors")


def nesterov_momentum() -> ValueError:
    """SGD with Nesterov momentum but no momentum, or with dampening."""
    return ValueError("Nesterov momentum requires a momentum and zero dampening")


def not_an_optimizer(optimizer: Any) -> TypeError:
    """A scheduler given something that is not an optimizer."""
    return TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def initial_lr_missing(group: int) -> KeyError:
    """A scheduler resumed (``last_epoch >= 0``) on an optimizer whose groups have no ``initial_lr``."""
    return KeyError(
        f"param 'initial_lr' is not specified in param_groups[{group}] when resuming scheduler with last_epoch >= 0.\n"
        "This typically happens when:\n1. You're trying to resume training from a checkpoint but haven't properly "
        "loaded the optimizer state\n2. You're using last_epoch >= 0 for a fresh training run (not recommended)"
    )


def per_group_count(name: str, given: int, groups: int) -> ValueError:
    """A scheduler's per-group list (``max_lr``, ``base_momentum``...) of another length than the groups."""
    return ValueError(f"{name} must have the same length as optimizer.param_groups. "
                      f"{name} has {given} values, param_groups has {groups}.")


def lr_lambdas_count(groups: int, given: int) -> ValueError:
    """LambdaLR or MultiplicativeLR given a list of functions of another length than the groups."""
    return ValueError(f"Expected {groups} lr_lambdas, but got {given}")


def lr_lambda_not_callable(value: Any) -> TypeError:
    """MultiplicativeLR given a factor that is not a function."""
    return TypeError(f"lr_lambda should be a function, but got {type(value).__name__}")


def scheduler_factor(which: str) -> ValueError:
    """ConstantLR's ``factor`` or LinearLR's ``start``/``end`` factor out of range."""
    return ValueError({
        "constant": "Constant multiplicative factor expected to be between 0 and 1.",
        "start": "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.",
        "end": "Ending multiplicative factor expected to be between 0 and 1.",
        "plateau": "Factor should be < 1.0.",
    }[which])


def check_scheduler_sequence(kind: str, schedulers: Any, optimizer: Any, plateau: type) -> None:
    """SequentialLR's and ChainedScheduler's schedulers: at least one, none a ReduceLROnPlateau (``plateau``),
    all of ``optimizer``."""
    if len(schedulers) < 1:
        chained = " to be chained" if kind == "ChainedScheduler" else ""
        raise ValueError(f"{kind} expects at least one scheduler{chained}, but got no scheduler.")
    for index, scheduler in enumerate(schedulers):
        if not hasattr(scheduler, "optimizer"):
            raise TypeError(f"{kind} at index {index} should have `optimizer` as its attribute.")
        if isinstance(scheduler, plateau):
            raise ValueError(f"{kind} does not support `ReduceLROnPlateau` scheduler as it requires additional "
                             "kwargs to be specified when calling `step`, but got one at index "
                             f"{index} in the given schedulers sequence.")
        if optimizer != scheduler.optimizer:
            raise ValueError(f"{kind} expects all schedulers to belong to the same optimizer, but got scheduler "
                             f"{type(scheduler).__name__} at index {index} has {scheduler.optimizer}, which is "
                             f"different from {type(optimizer).__name__}.")


def milestones_count(schedulers: int, milestones: int) -> ValueError:
    """SequentialLR needs one milestone fewer than schedulers."""
    return ValueError("Sequential Schedulers expects number of schedulers provided to be one more than the number of "
                      f"milestone points, but got number of schedulers {schedulers} and the number of milestones to "
                      f"be equal to {milestones}")


def min_lrs_count(groups: int, given: int) -> ValueError:
    """ReduceLROnPlateau given a list of ``min_lr`` of another length than the groups."""
    return ValueError(f"expected {groups} min_lrs, got {given}")


def plateau_mode(mode: str, threshold: bool) -> ValueError:
    """ReduceLROnPlateau with a ``mode`` other than min/max, or a ``threshold_mode`` other than rel/abs."""
    return ValueError(("threshold mode " if threshold else "mode ") + mode + " is unknown!")


def cyclic_mode() -> ValueError:
    """CyclicLR with an unknown mode and no ``scale_fn``."""
    return ValueError("mode is invalid and scale_fn is None")


def no_momentum() -> ValueError:
    """CyclicLR or OneCycleLR cycling the momentum of an optimizer that has none."""
    return ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")


def check_warm_restarts(T_0: Any, T_mult: Any, eta_min: Any) -> None:  # noqa: N803 (PyTorch's names)
    """CosineAnnealingWarmRestarts: a positive integer period, an integer multiplier >= 1, a numeric floor."""
    if T_0 <= 0 or not isinstance(T_0, int):
        raise ValueError(f"Expected positive integer T_0, but got {T_0}")
    if T_mult < 1 or not isinstance(T_mult, int):
        raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
    if not isinstance(eta_min, (float, int)):
        raise ValueError(f"Expected float or int eta_min, but got {eta_min} of type {type(eta_min)}")


def one_cycle_length(total_steps: Any, epochs: Any, steps_per_epoch: Any) -> int:
    """OneCycleLR's number of steps: ``total_steps``, or ``epochs * steps_per_epoch``, each a positive integer."""
    if total_steps is not None:
        if total_steps <= 0 or not isinstance(total_steps, int):
            raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
        return total_steps
    if epochs is None or steps_per_epoch is None:
        raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
    if not isinstance(epochs, int) or epochs <= 0:
        raise ValueError(f"Expected positive integer epochs, but got {epochs}")
    if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
        raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
    return epochs * steps_per_epoch


def check_one_cycle(pct_start: Any, anneal_strategy: str) -> None:
    """OneCycleLR: ``pct_start`` a float in [0, 1], ``anneal_strategy`` cos or linear."""
    if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
        raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
    if anneal_strategy not in ["cos", "linear"]:
        raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")


def one_cycle_overrun(step: int, total: int) -> ValueError:
    """OneCycleLR stepped past its last step."""
    return ValueError(f"Tried to step {step} times. The specified number of total steps is {total}")


# ----- data loading ---------------------------------------------------------------------------------------------
def collate_type(found: Any) -> TypeError:
    """``default_collate`` of a batch holding something it cannot collate (``found``: its type or dtype)."""
    return TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found "
                     f"{found}")


def collate_sizes() -> RuntimeError:
    """``default_collate`` of sequences of different lengths."""
    return RuntimeError("each element in list of batch should be of equal size")


def negative_num_workers() -> ValueError:
    """A DataLoader with a negative ``num_workers``."""
    return ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")


def negative_loader_timeout() -> ValueError:
    """A DataLoader with a negative ``timeout``."""
    return ValueError("timeout option should be non-negative")


def prefetch_without_workers() -> ValueError:
    """A DataLoader given ``prefetch_factor`` without worker processes (PyTorch's text, its missing space included)."""
    return ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to "
                      "enable multiprocessing, otherwise set prefetch_factor to None.")


def negative_prefetch_factor() -> ValueError:
    """A DataLoader with a negative ``prefetch_factor``."""
    return ValueError("prefetch_factor option should be non-negative")


def persistent_without_workers() -> ValueError:
    """A DataLoader asked to keep worker processes it does not start."""
    return ValueError("persistent_workers option needs num_workers > 0")


def pin_memory_without_accelerator_warning() -> str:
    """A DataLoader with ``pin_memory=True`` on a machine without an accelerator (each epoch, as PyTorch's)."""
    return ("'pin_memory' argument is set as true but no accelerator is found, then device pinned memory won't be "
            "used.")


def sampler_with_shuffle() -> ValueError:
    """A DataLoader given both a sampler and ``shuffle``."""
    return ValueError("sampler option is mutually exclusive with shuffle")


def batch_sampler_exclusive() -> ValueError:
    """A DataLoader given a batch sampler and an option it replaces."""
    return ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last")


def no_batching_with_drop_last() -> ValueError:
    """A DataLoader with ``batch_size=None`` and ``drop_last``."""
    return ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")


def dataset_getitem() -> NotImplementedError:
    """Indexing a Dataset subclass that defines no ``__getitem__``."""
    return NotImplementedError("Subclasses of Dataset should implement __getitem__.")


def tensor_dataset_sizes() -> AssertionError:
    """A TensorDataset of tensors with different first dims."""
    return AssertionError("Size mismatch between tensors")


def concat_dataset_empty() -> AssertionError:
    """A ConcatDataset of no datasets."""
    return AssertionError("datasets should not be an empty iterable")


def concat_dataset_index() -> ValueError:
    """A ConcatDataset index below minus its length."""
    return ValueError("absolute value of index should not exceed dataset length")


def concat_iterable() -> AssertionError:
    """A ConcatDataset (indexed) of an IterableDataset (which has no indices)."""
    return AssertionError("ConcatDataset does not support IterableDataset")


def chain_dataset_only() -> AssertionError:
    """A ChainDataset of a dataset that is not an IterableDataset."""
    return AssertionError("ChainDataset only supports IterableDataset")


def stack_dataset_arguments(problem: str) -> ValueError:
    """StackDataset given datasets both by position and by name, none, or of different lengths."""
    return ValueError({
        "both": "Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like input/output, "
                "but both types are given.",
        "none": "At least one dataset should be passed",
        "sizes": "Size mismatch between datasets",
    }[problem])


def nested_items_count(expected: int, got: int) -> ValueError:
    """A dataset's ``__getitems__`` inside a StackDataset returning another number of samples than asked."""
    return ValueError(f"Nested dataset's output size mismatch. Expected {expected}, got {got}")


def iterable_loader_option(name: str, value: Any) -> ValueError:
    """A DataLoader over an IterableDataset given ``shuffle``, ``sampler`` or ``batch_sampler``."""
    return ValueError(f"DataLoader with IterableDataset: expected unspecified {name} option, but got {name}={value}")


def split_fraction(index: int) -> ValueError:
    """``random_split`` with a fraction outside [0, 1]."""
    return ValueError(f"Fraction at index {index} is not between 0 and 1")


def empty_split_warning(index: int) -> str:
    """The warning for ``random_split`` fractions that leave a split empty."""
    return f"Length of split at index {index} is 0. This might result in an empty dataset."


def split_lengths() -> ValueError:
    """``random_split`` with lengths that do not add up to the dataset's."""
    return ValueError("Sum of input lengths does not equal the length of the input dataset!")


def sampler_replacement(replacement: Any) -> TypeError:
    """A RandomSampler with a ``replacement`` that is not a bool."""
    return TypeError(f"replacement should be a boolean value, but got replacement={replacement}")


def sampler_num_samples(num_samples: Any) -> ValueError:
    """A RandomSampler with a ``num_samples`` that is not a positive integer."""
    return ValueError(f"num_samples should be a positive integer value, but got num_samples={num_samples}")


def weighted_sampler_replacement(replacement: Any) -> ValueError:
    """A WeightedRandomSampler with a ``replacement`` that is not a bool (a ValueError, unlike RandomSampler's)."""
    return ValueError(f"replacement should be a boolean value, but got replacement={replacement}")


def sampler_weights_shape(shape: tuple[int, ...]) -> ValueError:
    """A WeightedRandomSampler given weights that are not one sequence."""
    return ValueError(f"weights should be a 1d sequence but given weights have shape {shape}")


def batch_size_not_positive(batch_size: Any) -> ValueError:
    """A BatchSampler with a ``batch_size`` that is not a positive integer."""
    return ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")


def drop_last_not_bool(drop_last: Any) -> ValueError:
    """A BatchSampler with a ``drop_last`` that is not a bool."""
    return ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")


# ----- torch.linalg's decompositions: slogdet, qr, eigh, svd -------------------------------------------------------
def eigh_failed(batch: int | None, info: int) -> LinAlgError:
    """``eigh`` (or ``eigvalsh``) where LAPACK's syevd did not converge (a NaN in the triangle it reads): ``info``
    off-diagonal elements of the tridiagonal form did not reach zero."""
    return LinAlgError(f"linalg.eigh: {_batch_element(batch)}The algorithm failed to converge because the input matrix "
                       f"is ill-conditioned or has too many repeated eigenvalues (error code: {info}).")


def svd_non_finite(batch: int | None) -> LinAlgError:
    """``svd`` (or ``svdvals``) of a matrix holding NaN, which LAPACK's gesdd refuses."""
    return LinAlgError(f"linalg.svd: {_batch_element(batch)}The algorithm failed to converge because the input matrix "
                       "contained non-finite values.")


def svd_driver() -> RuntimeError:
    """``linalg.svd`` given a ``driver`` on the CPU (the drivers are cuSOLVER's)."""
    return RuntimeError("minigrad.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with "
                        "cuSOLVER backend.")


def svd_ndim(ndim: int) -> RuntimeError:
    """``torch.svd`` (the older function) of a tensor of fewer than 2 dims."""
    return RuntimeError(f"linalg.svd: input should have at least 2 dimensions, but has {ndim} dimensions instead")


def qr_mode(mode: str) -> RuntimeError:
    """``qr`` given a mode other than 'reduced', 'complete' or 'r'."""
    return RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or "
                        "'complete'")


def qr_backward_without_q() -> RuntimeError:
    """Backward through ``qr(A, mode='r')``, which computed no Q."""
    return RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
                        "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.")


def qr_backward_complete_tall() -> RuntimeError:
    """Backward through ``qr(A, mode='complete')`` of a matrix with more rows than columns (Q's last columns are
    not determined by A)."""
    return RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")


def qr_deprecated_warning() -> str:
    """The UserWarning of ``torch.qr`` (shown once per process, as PyTorch's TORCH_WARN_ONCE)."""
    return ("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\n"
            "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\n"
            "Q, R = torch.qr(A, some)\nshould be replaced with\n"
            "Q, R = torch.linalg.qr(A, 'reduced' if some else 'complete')")


# ----- index_copy, index_fill, scatter_reduce ---------------------------------------------------------------------
def index_copy_index_dims(ndim: int) -> IndexError:
    """``index_copy`` with an index of more than one dim."""
    return IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {ndim})")


def index_copy_scalar_source(count: int) -> IndexError:
    """``index_copy`` of a 0-d source with other than one index."""
    return IndexError(f"index_copy_(): When source is scalar, index should have one element (got {count})")


def index_copy_dims(source_ndim: int, ndim: int) -> IndexError:
    """``index_copy`` of a source with another number of dims than the input (neither 0-d)."""
    return IndexError("index_copy_(): When source and destination are not scalars, their dimensionality must match. "
                      f"Source dimensionality ({source_ndim}), destination dimensionality ({ndim})")


def index_copy_index_dtype(dtype: DTypeLike) -> RuntimeError:
    """``index_copy`` with an index that is not int64."""
    return RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {_named(dtype).scalar_name}")


def index_copy_dtypes(dtype: DTypeLike, source: DTypeLike) -> RuntimeError:
    """``index_copy`` of a source of another dtype."""
    return RuntimeError("index_copy_(): self and source expected to have the same dtype, but got (self) "
                        f"{_named(dtype).scalar_name} and (source) {_named(source).scalar_name}")


def index_copy_slices(shape: Sequence[int], dim: int, source: Sequence[int]) -> RuntimeError:
    """``index_copy`` of a source whose slices (its shape without ``dim``) differ from the input's."""
    return RuntimeError("index_copy_(): Source/destination tensor must have same slice shapes. Destination slice "
                        f"shape: {' '.join(map(str, shape))} at dimension {dim} and source slice shape: "
                        f"{' '.join(map(str, source))} at dimension 0.")


def index_copy_count(count: int, size: int) -> IndexError:
    """``index_copy`` with a number of indices other than ``source.size(dim)``."""
    return IndexError(f"index_copy_(): Number of indices ({count}) should be equal to source.size(dim) ({size})")


def index_copy_range(index: int, dim: int, size: int) -> IndexError:
    """``index_copy`` with an index outside [0, size) (negative ones too)."""
    return IndexError(f"index_copy_(): index {index} is out of bounds for dimension {dim} with size {size}")


def index_fill_index_dtype() -> IndexError:
    """``index_fill`` with an index that is not int64."""
    return IndexError("index_fill_(): Expected dtype int64 for index.")


def index_fill_index_dims() -> RuntimeError:
    """``index_fill`` with an index of more than one dim."""
    return RuntimeError("Index has to be a vector/scalar")


def index_fill_value_dims(ndim: int) -> RuntimeError:
    """``index_fill`` with a value tensor that is not 0-d."""
    return RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {ndim} "
                        "dimension(s).")


def index_fill_range(index: int, dim: int, size: int) -> IndexError:
    """``index_fill`` with an index outside [-size, size)."""
    return IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")


def index_fill_empty_dim(shape: Sequence[int], dim: int, count: int, itemsize: int) -> RuntimeError:
    """``index_fill`` (and ``index_copy``) along a dim of size 0 (the others not) with ``count`` indices: PyTorch's
    kernel fails viewing the empty input with the index's size and a 0 stride along ``dim`` (the other strides as a
    contiguous tensor has them, as a new one from ``zeros`` or an op does)."""
    sizes = [count if d == dim else s for d, s in enumerate(shape)]
    strides = [0 if d == dim else math.prod(max(s, 1) for s in shape[d + 1:]) for d in range(len(shape))]
    need = (1 + sum((s - 1) * t for s, t in zip(sizes, strides))) * itemsize
    return RuntimeError(f"setStorage: sizes {sizes}, strides {strides}, storage offset 0, and itemsize {itemsize} "
                        f"requiring a storage size of {need} are out of bounds for storage of size 0")


def scatter_index_dims(other: str) -> RuntimeError:
    """``scatter_reduce`` with an index of another number of dims than ``other`` (``self`` or ``src``)."""
    return RuntimeError(f"Index tensor must have the same number of dimensions as {other} tensor")


def scatter_index_size(index: Sequence[int], shape: Sequence[int], dim: int, src: Sequence[int]) -> RuntimeError:
    """``scatter_reduce`` with an index larger than the input outside ``dim``, or larger than ``src``."""
    return RuntimeError(f"Expected index {list(index)} to be no larger than self {list(shape)} apart from dimension "
                        f"{dim} and to be no larger size than src {list(src)}")


def scatter_reduce_name(reduce: str) -> RuntimeError:
    """``scatter_reduce`` with a reduction it does not know."""
    return RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")


def scatter_reduce_backward_name(reduce: str) -> RuntimeError:
    """The backward of ``scatter_reduce`` with "max" or "min", which only its forward accepts (as amax and amin)."""
    return RuntimeError(f"Expected 'reduce' to be one of 'sum', 'prod', 'mean', 'amax', 'amin' but got {reduce}.")


# ----- unique, bincount, histc --------------------------------------------------------------------------------------
def derivative_not_implemented(function: str) -> NotImplementedError:
    """The backward of an op PyTorch records but cannot differentiate (``unique``)."""
    return NotImplementedError(f"the derivative for '{function}' is not implemented.")


def bincount_no_derivative() -> RuntimeError:
    """The backward of ``bincount`` with weights that require grad."""
    return RuntimeError("derivative for aten::bincount is not implemented")


def dim_of_0d(dim: int) -> IndexError:
    """A dim given for a 0-d tensor where PyTorch wants a real one (``unique(dim=...)``)."""
    return IndexError(f"Dimension specified as {dim} but tensor has no dimensions")


def unique_zero_dims() -> RuntimeError:
    """``unique`` along a dim of size 0 of a tensor with another dim of size 0."""
    return RuntimeError("Number of zero sized dimensions is more than one, so unique cannot be applied ")


def unique_unselected_zero_dims() -> RuntimeError:
    """``unique`` along a dim of an empty tensor whose size-0 dim is another."""
    return RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")


def bincount_minlength() -> RuntimeError:
    """``bincount`` with a negative minlength."""
    return RuntimeError("minlength should be >= 0")


def bincount_input() -> RuntimeError:
    """``bincount`` of a tensor that is not 1-D, or holds a negative value."""
    return RuntimeError("bincount only supports 1-d non-negative integral inputs.")


def bincount_weights() -> RuntimeError:
    """``bincount`` with weights of another shape than the input."""
    return RuntimeError("weights should be 1-d and have the same length as input")


def argument_type(function: str, name: str, expected: str, value: Any) -> TypeError:
    """A keyword argument of the wrong type, as PyTorch's argument parser words it."""
    return TypeError(f"{function}(): argument '{name}' must be {expected}, not {type(value).__name__}")


def histogram_bins(bins: int) -> RuntimeError:
    """``histc`` with bins < 1."""
    return RuntimeError(f"minigrad.histogram(): bins must be > 0, but got {bins} for dimension 0")


def _cpp_double(value: float) -> str:
    """A double as C++'s ``<<`` prints it (6 significant digits, ``-nan`` for a NaN with its sign bit set)."""
    if math.isnan(value):
        return "-nan" if math.copysign(1.0, value) < 0 else "nan"
    return f"{value:g}"


def histc_range(low: float, high: float) -> RuntimeError:
    """``histc`` whose range (given, or the data's min and max) is not finite."""
    return RuntimeError(f"minigrad.histc: range of [{_cpp_double(low)}, {_cpp_double(high)}] is not finite")


def histc_min_max() -> RuntimeError:
    """``histc`` with min above max."""
    return RuntimeError("minigrad.histc: max must be larger than min")


def histogram_range(low: float, high: float) -> RuntimeError:
    """``histogram`` whose range (given, or the data's min and max) is not finite."""
    return RuntimeError(f"minigrad.histogramdd: dimension 0's range [{_cpp_double(low)}, {_cpp_double(high)}] is not "
                        "finite")


def histogram_min_max(low: float, high: float) -> RuntimeError:
    """``histogram`` with a range whose min is above its max."""
    return RuntimeError(f"minigrad.histogramdd: min should not exceed max, but got min {_cpp_double(low)} max "
                        f"{_cpp_double(high)} for dimension 0")


def invalid_gradient(node: str, index: int, got: Sequence[int], expected: Sequence[int]) -> RuntimeError:
    """A backward that returns a gradient PyTorch's engine refuses for the input's shape."""
    return RuntimeError(f"Function {node} returned an invalid gradient at index {index} - got {list(got)} but expected "
                        f"shape compatible with {list(expected)}")


# ----- hooks and anomaly detection (issue 24) -------------------------------------------------------------------
def hook_without_grad() -> RuntimeError:
    """``register_hook`` on a tensor that does not require grad."""
    return RuntimeError("cannot register a hook on a tensor that doesn't require gradient")


def hook_replaced_none() -> RuntimeError:
    """A hook returned a gradient where there was none (an output or input no gradient reached)."""
    return RuntimeError("can't replace a None gradient with a non-None value")


def hook_returned_not_tensor(typename: str) -> TypeError:
    """A tensor hook returned something other than a tensor or None (``typename``: what, as Python names it)."""
    return TypeError(f"expected Variable, but hook returned '{typename}'")


def hook_returned_not_tuple(typename: str) -> TypeError:
    """A node's hook returned something other than a tuple or None."""
    return TypeError(f"expected tuple, but hook returned '{typename}'")


def hook_value_count(hook: str, got: int, expected: int) -> RuntimeError:
    """A node's hook returned a tuple of another length than the gradients it was given."""
    return RuntimeError(f"hook '{hook}' has returned an incorrect number of values (got {got}, but expected "
                        f"{expected})")


def hook_changed_type(hook: str, was: str, got: str) -> RuntimeError:
    """A hook returned a gradient of another dtype (``was``, ``got``: legacy type names, ``minigrad.FloatTensor``)."""
    return RuntimeError(f"hook '{hook}' has changed the type of value (was {was} got {got})")


def hook_changed_size(hook: str) -> RuntimeError:
    """A hook returned a gradient of another shape."""
    return RuntimeError(f"hook '{hook}' has changed the size of value")


def node_no_attribute(node: str, name: str) -> AttributeError:
    """An attribute a graph node lacks (PyTorch names the node's class, which is its name: ``MulBackward0``)."""
    return AttributeError(f"'{node}' object has no attribute '{name}'")


def anomaly_enabled_warning() -> str:
    """What ``detect_anomaly()`` warns when it is created."""
    return ("Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for "
            "debugging.")


def anomaly_nan(node: str, index: int) -> RuntimeError:
    """Anomaly mode: a node's backward returned NaN in the gradient of its input ``index``."""
    return RuntimeError(f"Function '{node}' returned nan values in its {index}th output.")


def anomaly_trace_warning(node: str, trace: str) -> str:
    """Anomaly mode: backward failed in ``node``; ``trace``: the stack of the forward call that made it."""
    return f"Error detected in {node}. Traceback of forward call that caused the error:\n{trace}"


def anomaly_no_trace_warning(node: str) -> str:
    """Anomaly mode: backward failed in ``node``, made while anomaly mode was off."""
    return (f"Error detected in {node}. No forward pass information available. Enable detect anomaly during forward "
            "pass for more information.")


def forward_pre_hook_result(result: Any) -> RuntimeError:
    """A module's forward pre-hook ``with_kwargs`` returned something other than None or (args, kwargs)."""
    return RuntimeError(f"forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got {result}.")


def backward_hook_count(got: int, expected: int) -> RuntimeError:
    """A module's full backward hook returned another number of input gradients than the module has inputs."""
    return RuntimeError(f"Backward hook returned an invalid number of grad_input, got {got}, but expected {expected}")


def backward_pre_hook_count(got: int, expected: int) -> RuntimeError:
    """A module's full backward pre-hook returned another number of output gradients than the module has outputs."""
    return RuntimeError(f"Backward pre hook returned an invalid number of grad_output, got {got}, but expected "
                        f"{expected}")


def backward_hook_without_input_grads() -> RuntimeError:
    """A full backward hook of a module none of whose inputs requires grad returned gradients."""
    return RuntimeError("Backward hook for Modules where no input requires gradient should always return None or None "
                        "for all gradients.")


def backward_hook_no_input_grads_warning() -> str:
    """A module's full backward hook fires on the outputs' gradients: none of its inputs requires grad."""
    return ("Full backward hook is firing when gradients are computed with respect to module outputs since no inputs "
            "require gradients. See https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
            "#torch.nn.Module.register_full_backward_hook for more details.")


def backward_hook_output_warning(result: Any) -> str:
    """A module with backward hooks returned something other than a tensor or a tuple."""
    return ("For backward hooks to be called, module output should be a Tensor or a tuple of Tensors but received "
            f"{type(result)}")


# ----- embeddings and recurrent layers (nn.Embedding, nn.RNN/LSTM/GRU, nn.utils.rnn) ----------------------------
def embedding_indices_dtype(dtype: DTypeLike) -> RuntimeError:
    """``embedding`` with indices neither int64 nor int32 (PyTorch names a bool tensor by its backend type)."""
    named = "CPUBoolType" if _named(dtype).scalar_name == "Bool" else f"minigrad.{_named(dtype).legacy_name}"
    return RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
                        f"Int; but got {named} instead (while checking arguments for embedding)")


# ----- custom autograd Functions (autograd.function) -------------------------------------------------------------
def function_instantiated_warning(cls: type) -> str:
    """``MyFunction()``: a Function's methods are static, it is never instantiated."""
    return (f"{cls} should not be instantiated. Methods on autograd functions are all static, so you should invoke "
            "them on the class itself. Instantiating an autograd function will raise an error in a future version of "
            "PyTorch.")


def function_legacy_call() -> RuntimeError:
    """``MyFunction()(x)``: the legacy style, calling an instance."""
    return RuntimeError("Legacy autograd function with non-static forward method is deprecated. Please use new-style "
                        "autograd function with static forward method. (Example: "
                        "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")


def function_forward_missing() -> NotImplementedError:
    return NotImplementedError("You must implement the forward function for custom autograd.Function.")


def function_backward_missing() -> NotImplementedError:
    return NotImplementedError("You must implement either the backward or vjp method for your custom autograd.Function "
                               "to use it with backward mode AD.")


def function_backward_and_vjp() -> RuntimeError:
    return RuntimeError("Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You should only "
                        "implement one of them.")


def function_unexpected_keyword(name: str) -> TypeError:
    """``apply(x, k=1)`` where forward has no positional parameter ``k``."""
    return TypeError(f"forward() got an unexpected keyword argument '{name}'")


def function_repeated_argument(name: str) -> TypeError:
    return TypeError(f"forward() got multiple values for argument '{name}'")


def function_missing_argument(name: str, position: int) -> TypeError:
    """A keyword argument of ``apply`` placed after a parameter given no value (``position``: after ctx)."""
    return TypeError(f"forward() missing required argument: '{name}' (position {position})")


def function_save_not_tensor(index: int, typename: str) -> TypeError:
    return TypeError(f"save_for_backward can only save variables, but argument {index} is of type {typename}")


def function_dirty_not_input_warning() -> str:
    return ("ctx.mark_dirty() received a tensor that was not an input. Only input Tensors that have been mutated "
            "should be passed to ctx.mark_dirty().")


def function_dirty_leaf() -> RuntimeError:
    """``ctx.mark_dirty(x)`` on a leaf that requires grad (its words differ from an in-place op's)."""
    return RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")


def function_dirty_view_several_outputs() -> RuntimeError:
    return RuntimeError(
        "If your Function modifies inplace an input that is a view of another Tensor, your Function cannot return more "
        "than one Tensor. This is not supported by the current autograd engine. You should either make sure the input "
        "is not a view (using .clone() for example) or make your Function only return one Tensor (potentially "
        "splitting it into two Functions: one doing the inplace that returns a single Tensor and a second one that "
        "does the other operations). You can ask on the forum https://discuss.pytorch.org/ if you need help to do "
        "this change.")


def function_dirty_not_returned() -> RuntimeError:
    return RuntimeError("Some elements marked as dirty during the forward method were not returned as output. The "
                        "inputs that are modified inplace must all be outputs of the Function.")


def function_input_returned_saved() -> RuntimeError:
    """With ``setup_context``: an input returned as it is, also saved for backward."""
    return RuntimeError("An input that has been returned as-is as output is being saved for backward. This is not "
                        "supported if you override setup_context. You should return and save a view of the input "
                        "instead, e.g. with x.view_as(x) or setup ctx inside the forward function itself.")


def function_gradient_count(node: str, expected: int, got: int) -> RuntimeError:
    """A Function's backward returned another number of gradients than forward had arguments."""
    return RuntimeError(f"function {node} returned an incorrect number of gradients (expected {expected}, got {got})")


def function_gradient_not_none(node: str, position: int) -> RuntimeError:
    """A gradient for an argument of forward that was not a tensor (``position`` counts from 1)."""
    return RuntimeError(f"function {node} returned a gradient different than None at position {position}, but the "
                        "corresponding forward input was not a Variable")


def function_gradient_type(typename: str) -> RuntimeError:
    return RuntimeError(f"expected Variable or None (got {typename})")


def function_gradient_shape(node: str, index: int, got: Sequence[int], expected: Sequence[int]) -> RuntimeError:
    """A gradient whose shape the input's does not broadcast to (``index`` among the tensor inputs)."""
    return RuntimeError(f"Function {node} returned an invalid gradient at index {index} - got [{_joined(got)}] but "
                        f"expected shape compatible with [{_joined(expected)}]")


def custom_function_view_inplace(output: int, function: str) -> RuntimeError:
    """A recorded in-place op on a view a custom Function returned (or an input it returned as it is)."""
    return RuntimeError(
        f"Output {output} of {function} is a view and is being modified inplace. This view was created inside a "
        "custom Function (or because an input was returned as-is) and the autograd logic to handle view+inplace would "
        "override the custom backward associated with the custom Function, leading to incorrect gradients. This "
        "behavior is forbidden. You can fix this by cloning the output of the custom Function.")


def once_differentiable_twice() -> RuntimeError:
    return RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


# ----- convolution, im2col / col2im, pooling ------------------------------------------------------------------
def _sizes(sizes: Sequence[int]) -> str:
    """Sizes as PyTorch's IntArrayRef prints them: ``[1, 3, 5]``."""
    return f"[{_joined(sizes)}]"


def conv_input_dims(function: str, spatial: int, shape: Sequence[int]) -> RuntimeError:
    """``conv2d`` (``conv1d``, ...) of an input that is neither unbatched nor batched."""
    return RuntimeError(f"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to {function}, but "
                        f"got input of size: {_sizes(shape)}")


def conv_padding_string(padding: str) -> RuntimeError:
    """A convolution's padding given as a string other than 'same' or 'valid'."""
    return RuntimeError(f"Invalid padding string: '{padding}'")


def conv_same_strided() -> RuntimeError:
    return RuntimeError("padding='same' is not supported for strided convolutions")


def conv_same_warning() -> str:
    """padding='same' with a kernel whose padding is uneven (PyTorch pads a copy of the input)."""
    return ("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the "
            "input be created")


def conv_parameter_length(name: str, dims: int, values: Sequence[int]) -> RuntimeError:
    """A stride, padding or dilation with neither one value nor one per spatial dim of the weight."""
    return RuntimeError(f"expected {name} to be a single integer value or a list of {dims} values to match the "
                        f"convolution dimensions, but got {name}={_sizes(values)}")


def conv_negative(name: str) -> RuntimeError:
    """A negative padding or output_padding."""
    return RuntimeError(f"negative {name} is not supported")


def conv_non_positive(name: str) -> RuntimeError:
    """A stride or groups of 0 or less."""
    return RuntimeError(f"non-positive {name} is not supported")


def conv_dilation(dilation: Sequence[int]) -> RuntimeError:
    return RuntimeError(f"dilation should be greater than zero, but got {_sizes(dilation)}")


def conv_input_rank(weight: Sequence[int], shape: Sequence[int]) -> RuntimeError:
    """An input whose rank differs from the weight's."""
    return RuntimeError(f"Expected {len(weight)}-dimensional input for {len(weight)}-dimensional weight "
                        f"{_sizes(weight)}, but got {len(shape)}-dimensional input of size {_sizes(shape)} instead")


def conv_weight_groups(groups: int, weight: Sequence[int], condition: str) -> RuntimeError:
    """Fewer output channels than groups ("at least"), or a number groups does not divide ("divisible by")."""
    sizes = _sizes(weight) if condition == "at least" else f"[{_sizes(weight)}]"  # PyTorch's double brackets
    return RuntimeError(f"Given groups={groups}, expected weight to be {condition} {groups} at dimension 0, but got "
                        f"weight of size {sizes} instead")


def conv_channels(given: str, weight: Sequence[int], shape: Sequence[int], expected: int) -> RuntimeError:
    """An input whose channel count the weight does not take (``given``: "groups=1" or "transposed=1")."""
    return RuntimeError(f"Given {given}, weight of size {_sizes(weight)}, expected input{_sizes(shape)} to have "
                        f"{expected} channels, but got {shape[1]} channels instead")


def conv_bias(given: str, weight: Sequence[int], expected: int, bias: Sequence[int]) -> RuntimeError:
    """A bias that is not one value per output channel (``given``: "" or "transposed=1, ")."""
    return RuntimeError(f"Given {given}weight of size {_sizes(weight)}, expected bias to be 1-dimensional with "
                        f"{expected} elements, but got bias of size {_sizes(bias)} instead")


def conv_kernel_too_large(padded: Sequence[int], kernel: Sequence[int]) -> RuntimeError:
    """A (dilated) kernel larger than the padded input."""
    return RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                        f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than actual input size")


def conv_bias_dtype(x: DTypeLike, bias: DTypeLike) -> RuntimeError:
    return RuntimeError(f"Input type ({_named(x).cpp_name}) and bias type ({_named(bias).cpp_name}) should be "
                        "the same")


def conv_output_padding(output_padding: Sequence[int], stride: Sequence[int],
                        dilation: Sequence[int]) -> RuntimeError:
    """A transposed convolution's output_padding not below its stride or dilation (2-d names, as 1-d runs as 2-d)."""
    return RuntimeError(
        "output padding must be smaller than either stride or dilation, but got output_padding_height: "
        f"{output_padding[0]} output_padding_width: {output_padding[1]} stride_height: {stride[0]} stride_width: "
        f"{stride[1]} dilation_height: {dilation[0]} dilation_width: {dilation[1]}")


def conv_transpose_too_small(size: Sequence[int], out: Sequence[int]) -> RuntimeError:
    return RuntimeError(f"Given input size per channel: ({' x '.join(map(str, size))}). Calculated output size per "
                        f"channel: ({' x '.join(map(str, out))}). Output size is too small")


def window_parameter(what: str, condition: str, short: str, pair: Sequence[int]) -> RuntimeError:
    """unfold's or fold's kernel size, dilation, padding or stride out of range."""
    return RuntimeError(f"{what} should be {condition}, but got {short}_height: {pair[0]} {short}_width: {pair[1]}")


def unfold_input(shape: Sequence[int]) -> RuntimeError:
    return RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                        f"dimensions for input, but got: {_sizes(shape)}")


def unfold_too_small(size: Sequence[int], kernel: Sequence[int], dilation: Sequence[int], padding: Sequence[int],
                     blocks: Sequence[int]) -> RuntimeError:
    """unfold of an input with no whole window."""
    return RuntimeError(f"Given input with spatial size ({size[0]}, {size[1]}), kernel_size=({kernel[0]}, "
                        f"{kernel[1]}), dilation=({dilation[0]}, {dilation[1]}), padding=({padding[0]}, "
                        f"{padding[1]}), calculated shape of the array of sliding blocks as ({blocks[0]}, "
                        f"{blocks[1]}), but its components must be at least one.")


def fold_input(shape: Sequence[int]) -> RuntimeError:
    return RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                        f"dimensions for input, but got: {_sizes(shape)}")


def fold_rows(rows: int, kernel: Sequence[int]) -> RuntimeError:
    return RuntimeError("Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
                        f"input.size(1)={rows} and kernel_size=({kernel[0]}, {kernel[1]}).")


def fold_blocks(output_size: Sequence[int], kernel: Sequence[int], dilation: Sequence[int], padding: Sequence[int],
                stride: Sequence[int], blocks: Sequence[int], length: int) -> RuntimeError:
    return RuntimeError(
        f"Given output_size=({output_size[0]}, {output_size[1]}), kernel_size=({kernel[0]}, {kernel[1]}), "
        f"dilation=({dilation[0]}, {dilation[1]}), padding=({padding[0]}, {padding[1]}), stride=({stride[0]}, "
        f"{stride[1]}), expected size of input's dimension 2 to match the calculated number of sliding blocks "
        f"{blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, but got input.size(2)={length}.")


def window_pair_length(name: str, values: Sequence[int]) -> RuntimeError:
    """unfold's or fold's parameter of more than two values (torch.nn.functional's _pair keeps it as it is)."""
    return RuntimeError(f"It is expected {name} equals to 2, but got size {len(values)}")


def pool_stride_zero() -> RuntimeError:
    return RuntimeError("stride should not be zero")


def pool_negative_pad(pad: int) -> RuntimeError:
    return RuntimeError(f"pad must be non-negative, but got pad: {pad}")


def pool_pad_too_large(pad: int, kernel: int, dilation: int) -> RuntimeError:
    return RuntimeError(f"pad should be at most half of effective kernel size, but got pad={pad}, "
                        f"kernel_size={kernel} and dilation={dilation}")


def max_pool2d_dims() -> RuntimeError:
    return RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")


def max_pool2d_argument(name: str) -> RuntimeError:
    """max_pool2d's kernel_size (stride, padding, dilation) of more than two values."""
    text = {"kernel_size": "kernel_size must either be a single int, or a tuple of two ints",
            "stride": "stride must either be omitted, a single int, or a tuple of two ints",
            "padding": "padding must either be a single int, or a tuple of two ints",
            "dilation": "dilation must be either a single int, or a tuple of two ints"}[name]
    return RuntimeError(f"max_pool2d: {text}")


def avg_pool2d_argument(name: str) -> RuntimeError:
    """avg_pool2d's kernel_size (stride, padding) of more than two values."""
    text = {"kernel_size": "kernel_size must either be a single int, or a tuple of two ints",
            "stride": "stride must either be omitted, a single int, or a tuple of two ints",
            "padding": "padding must either be a single int, or a tuple of two ints"}[name]
    return RuntimeError(f"avg_pool2d: {text}")


def pool_parameter(what: str, pair: Sequence[int]) -> RuntimeError:
    """A pooling's kernel size, stride or dilation not above zero (pool2d_shape_check's words)."""
    names = {"kernel size": ("kH", "kW"), "stride": ("dH", "dW"), "dilation": ("dilationH", "dilationW")}[what]
    return RuntimeError(f"{what} should be greater than zero, but got {names[0]}: {pair[0]} {names[1]}: {pair[1]}")


def pool_input(shape: Sequence[int]) -> RuntimeError:
    return RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                        f"got:{_sizes(shape)}")


def pool_too_small(planes: int, size: Sequence[int], out: Sequence[int]) -> RuntimeError:
    return RuntimeError(f"Given input size: ({planes}x{size[0]}x{size[1]}). Calculated output size: "
                        f"({planes}x{out[0]}x{out[1]}). Output size is too small")


def pool_divisor_zero() -> RuntimeError:
    return RuntimeError("divisor must be not zero")


def max_pool1d_input(shape: Sequence[int]) -> RuntimeError:
    return RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                        f"input, but got:{_sizes(shape)}")


def max_pool1d_parameter(what: str, value: int) -> RuntimeError:
    """max_pool1d's kernel_size, stride, padding or dilation out of range (``what``: "stride must be ...")."""
    return RuntimeError(f"max_pool1d() {what}, but got {value}")


def max_pool1d_padding(padding: int, kernel: int) -> RuntimeError:
    return RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={padding} and "
                        f"kernel_size={kernel}")


def max_pool1d_output(size: int) -> RuntimeError:
    return RuntimeError(f"max_pool1d() Invalid computed output size: {size}")


def max_pool1d_argument(name: str, count: int) -> RuntimeError:
    """max_pool1d's kernel_size (stride, padding, dilation) of more than one value."""
    allowed = "None, an int" if name == "stride" else "an int"
    return RuntimeError(f"max_pool1d() {name} must be {allowed}, list of ints or tuple of ints of size 1 but got "
                        f"size {count}")


def check_1d_argument(function: str, name: str, count: int) -> None:
    """PyTorch's check1d: a 1-d pooling's argument given as more than one int."""
    if count != 1:
        raise RuntimeError(f"{function}() argument '{name}' should contain one int (got {count})")


def avg_pool1d_dims(ndim: int, function: str) -> RuntimeError:
    """A 1-d pooling (avg_pool1d, adaptive_avg_pool1d) of an input of other than 2 or 3 dims."""
    return RuntimeError(f"Expected 2 to 3 dimensions, but got {ndim}-dimensional tensor for argument #1 'self' "
                        f"(while checking arguments for {function})")


def adaptive_dims(function: str, shape: Sequence[int]) -> RuntimeError:
    """Adaptive 2-d pooling of an input of other than 3 or 4 dims (adaptive_max_pool2d adds a colon)."""
    colon = ":" if function == "adaptive_max_pool2d" else ""
    return RuntimeError(f"{function}(): Expected 3D or 4D tensor, but got{colon} {_sizes(shape)}")


def adaptive_empty(function: str, shape: Sequence[int], dim: int) -> RuntimeError:
    return RuntimeError(f"{function}(): Expected input to have non-zero size for non-batch dimensions, but input has "
                        f"sizes {_sizes(shape)} with dimension {dim} being empty")


def adaptive_output_length() -> RuntimeError:
    return RuntimeError("adaptive_avg_pool2d: output_size must be 2")


def adaptive_output_negative(size: Sequence[int]) -> RuntimeError:
    return RuntimeError("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
                        f"received {{{size[0]}, {size[1]}}}")


# ----- resizing: interpolate, max_unpool, pixel_shuffle -----------------------------------------------------------
def upsample_sizes(input_size: Sequence[int], output_size: Sequence[int]) -> RuntimeError:
    """upsample_1d/2d_common_check: an input or output size (W, or H and W) not above zero."""
    if len(input_size) == 1:
        return RuntimeError(f"Input and output sizes should be greater than 0, but got input (W: {input_size[0]}) "
                            f"and output (W: {output_size[0]})")
    return RuntimeError(f"Input and output sizes should be greater than 0, but got input (H: {input_size[0]}, "
                        f"W: {input_size[1]}) output (H: {output_size[0]}, W: {output_size[1]})")


def upsample_empty(shape: Sequence[int]) -> RuntimeError:
    """An upsampling of an input with no channels (an empty batch is allowed)."""
    return RuntimeError(f"Non-empty {len(shape)}D data tensor expected but got a tensor with sizes {_sizes(shape)}")


def interpolate_align_corners() -> ValueError:
    return ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                      "bicubic | trilinear")


def interpolate_size_and_scale() -> ValueError:
    return ValueError("only one of size or scale_factor should be defined")


def interpolate_no_size() -> ValueError:
    return ValueError("either size or scale_factor should be defined")


def interpolate_spatial_dims(what: str, spatial: Sequence[int], value: Any) -> ValueError:
    """``size`` (``what`` "output size") or ``scale_factor`` of another length than the input's spatial dims."""
    first = "Input and output" if what == "output size" else "Input and scale_factor"
    shape = "output size of" if what == "output size" else "scale_factor of shape"
    last = "output size in (o1, o2, ...,oK)" if what == "output size" else "scale_factor in (s1, s2, ...,sK)"
    return ValueError(f"{first} must have the same number of spatial dimensions, but got input with spatial "
                      f"dimensions of {list(spatial)} and {shape} {value}. Please provide input tensor in (N, C, d1, "
                      f"d2, ...,dK) format and {last} format.")


def interpolate_size_types(values: Sequence[Any]) -> TypeError:
    return TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, int], but "
                     f"got size with types {[type(v) for v in values]}")


def interpolate_recompute_with_size() -> ValueError:
    return ValueError("recompute_scale_factor is not meaningful with an explicit size.")


def interpolate_antialias() -> ValueError:
    return ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                      "tensor as input")


def interpolate_mode_dims(ndim: int, mode: str, needed: int) -> NotImplementedError:
    """A mode given an input of the wrong rank (``Got 3D input, but bilinear mode needs 4D input``)."""
    return NotImplementedError(f"Got {ndim}D input, but {mode} mode needs {needed}D input")


def interpolate_input(ndim: int, mode: str) -> NotImplementedError:
    """An input rank or mode interpolate has no kernel for."""
    return NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {ndim}D) for the modes: "
                               f"nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
                               f"(got {mode})")


def unpool_output_length(dims: int, given: int) -> ValueError:
    return ValueError(f"output_size should be a sequence containing {dims} or {dims + 2} elements, but it has a "
                      f"length of '{given}'")


def unpool_output_range(output_size: Any, dim: int, low: int, high: int) -> ValueError:
    return ValueError(f'invalid output_size "{output_size}" (dim {dim} must be between {low} and {high})')


def unpool_output_negative(dim: int, size: int) -> ValueError:
    return ValueError(f"max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                      f"output_size[{dim}]={size}")


def unpool_indices_dtype(dtype: DTypeLike) -> RuntimeError:
    return RuntimeError(f"elements in indices should be type int64 but got: {_named(dtype).scalar_name}")


def unpool_dims(ndim: int) -> RuntimeError:
    return RuntimeError(f"Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with {ndim} "
                        "dimensions.")


def unpool_shapes(shape: Sequence[int], indices_shape: Sequence[int]) -> RuntimeError:
    return RuntimeError(f"Expected shape of indices to be same as that of the input tensor ({_sizes(shape)}) but "
                        f"got indices tensor with shape: {_sizes(indices_shape)}")


def unpool_empty(shape: Sequence[int], dim: int) -> RuntimeError:
    return RuntimeError("max_unpooling2d_forward_out_cpu(): Expected input to have non-zero size for non-batch "
                        f"dimensions, but got {_sizes(shape)} with dimension {dim} being empty.")


def unpool_index(index: int, size: Sequence[int]) -> RuntimeError:
    """An index outside the output plane."""
    return RuntimeError(f"Found an invalid max index: {index} (output volumes are of size {size[0]}x{size[1]})")


def pixel_shuffle_dims(function: str, ndim: int) -> RuntimeError:
    return RuntimeError(f"{function} expects input to have at least 3 dimensions, but got input with {ndim} "
                        "dimension(s)")


def pixel_shuffle_factor(function: str, name: str, factor: int) -> RuntimeError:
    return RuntimeError(f"{function} expects a positive {name}, but got {factor}")


def pixel_shuffle_factor_type(function: str, name: str, factor: Any) -> TypeError:
    return TypeError(f"{function}(): argument '{name}' (position 2) must be int, not {type(factor).__name__}")


def pixel_shuffle_channels(channels: int, square: int) -> RuntimeError:
    return RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                        f"upscale_factor, but input.size(-3)={channels} is not divisible by {square}")


def pixel_unshuffle_size(dim: int, size: int, factor: int) -> RuntimeError:
    """pixel_unshuffle of a height (``dim`` -2) or width (-1) that the factor does not divide."""
    what = "height" if dim == -2 else "width"
    return RuntimeError(f"pixel_unshuffle expects {what} to be divisible by downscale_factor, but "
                        f"input.size({dim})={size} is not divisible by {factor}")


# ----- normalization and feature dropout --------------------------------------------------------------------------
def normalized_shape_empty(normalized_shape: Sequence[int]) -> RuntimeError:
    """``layer_norm`` or ``rms_norm`` with an empty normalized_shape."""
    return RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                        f"element, but got normalized_shape = {_sizes(normalized_shape)}")


def normalized_parameter_shape(name: str, shape: Sequence[int], normalized_shape: Sequence[int]) -> RuntimeError:
    """``layer_norm``'s or ``rms_norm``'s weight or bias of another shape than normalized_shape."""
    return RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                        f"{_sizes(shape)} and normalized_shape = {_sizes(normalized_shape)}")


def normalized_input_shape(function: str, normalized_shape: Sequence[int], shape: Sequence[int]) -> RuntimeError:
    """An input whose last dims are not normalized_shape (rms_norm's message has no comma after the star)."""
    star = "*" if function == "rms_norm" else "*, "
    return RuntimeError(f"Given normalized_shape={_sizes(normalized_shape)}, expected input with shape "
                        f"[{star}{_joined(normalized_shape)}], but got input of size{_sizes(shape)}")


def parameter_dtype(dtype: DTypeLike) -> RuntimeError:
    """``layer_norm`` with a weight or bias of another dtype than the input."""
    return RuntimeError(f"mixed dtype (CPU): expect parameter to have scalar type of {_named(dtype).scalar_name}")


def group_norm_dims(ndim: int) -> RuntimeError:
    return RuntimeError(f"Expected at least 2 dimensions for input tensor but received {ndim}")


def group_norm_groups(num_groups: int) -> RuntimeError:
    return RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")


def group_norm_divisible(shape: Sequence[int], num_groups: int) -> RuntimeError:
    return RuntimeError("Expected number of channels in input to be divisible by num_groups, but got input of shape "
                        f"{_sizes(shape)} and num_groups={num_groups}")


def group_norm_parameter(name: str, shown: Sequence[int], shape: Sequence[int]) -> RuntimeError:
    """``group_norm``'s weight or bias that is not one value per channel (``shown``: the shape PyTorch prints)."""
    return RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, but got "
                        f"{name} of shape {_sizes(shown)} and input of shape {_sizes(shape)}")


def group_norm_module(num_channels: int, num_groups: int) -> ValueError:
    return ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")


def instance_norm_spatial(size: Sequence[int]) -> ValueError:
    """``instance_norm`` with the input's statistics of one value per channel."""
    return ValueError(f"Expected more than 1 spatial element when training, got input size {size}")


def instance_norm_features(dim: int, num_features: int, size: int) -> ValueError:
    return ValueError(f"expected input's size at dim={dim} to match num_features ({num_features}), but got: {size}.")


def instance_norm_features_warning(dim: int) -> str:
    return (f"input's size at dim={dim} does not match num_features. You can silence this warning by not passing in "
            "num_features, which is not used because affine=False")


def local_response_norm_dims(ndim: int) -> ValueError:
    # PyTorch's message holds the indentation of a line break in its source
    return ValueError(f"Expected 3D or higher dimensionality                          input (got {ndim} dimensions)")


def feature_dropout_dims() -> RuntimeError:
    return RuntimeError("Feature dropout requires at least 2 dimensions in the input")


def dropout1d_dims(ndim: int) -> RuntimeError:
    return RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {ndim}D input. Note that dropout1d exists "
                        "to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and "
                        "an optional batch dimension (i.e. 2D or 3D inputs).")


def dropout_nd_warning(function: str, ndim: int) -> str:
    """``dropout2d`` or ``dropout3d`` of an input of another rank than their batched or unbatched one."""
    spatial = int(function[-2])
    return (f"{function}: Received a {ndim}-D input to {function}, which is deprecated and will result in an error "
            f"in a future release. To retain the behavior and silence this warning, please use dropout instead. "
            f"Note that {function} exists to provide channel-wise dropout on inputs with {spatial} spatial "
            f"dimensions, a channel dimension, and an optional batch dimension (i.e. {spatial + 1}D or "
            f"{spatial + 2}D inputs).")


def dropout2d_3d_warning() -> str:
    return ("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape "
            "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.")


def numpy_array_wrap_warning() -> str:
    """NumPy 2's DeprecationWarning when it hands a result back through PyTorch's ``Tensor.__array_wrap__`` (``t +
    array``), which does not take the arguments NumPy 2 passes."""
    return ("__array_wrap__ must accept context and return_scalar arguments (positionally) in the future. "
            "(Deprecated NumPy 2.0)")


def pinv_input(dtype: Any, shape: Any) -> RuntimeError:
    """``linalg.pinv`` (``pinverse``) of a tensor of fewer than 2 dims, or not of floats."""
    return RuntimeError(f"linalg.pinv({_named(dtype).scalar_name}{{{list(shape)}}}): expected a tensor with 2 or more "
                        "dimensions of float, double, cfloat or cdouble types")


def cholesky_deprecated_warning() -> str:
    """The UserWarning of ``torch.cholesky`` (shown once per process, as PyTorch's TORCH_WARN_ONCE; PyTorch appends
    where in its C++ source it was given)."""
    return ("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
            "release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\n"
            "U = torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\n"
            "This transform will produce equivalent results for all valid (symmetric positive definite) inputs.")


# ----- attention: scaled_dot_product_attention and MultiheadAttention ------------------------------------------------
def sdpa_dtypes(query: DTypeLike, key: DTypeLike, value: DTypeLike) -> RuntimeError:
    names = [_named(d).cpp_name for d in (query, key, value)]
    return RuntimeError(f"Expected query, key, and value to have the same dtype, but got query.dtype: {names[0]} "
                        f"key.dtype: {names[1]} and value.dtype: {names[2]} instead.")


def sdpa_dims(query: int, key: int, value: int) -> RuntimeError:
    return RuntimeError(f"Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
                        f"{query} key.dim: {key} and value.dim: {value} instead.")


def sdpa_mask_dtype(mask: DTypeLike, query: DTypeLike) -> RuntimeError:
    return RuntimeError(f"Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                        f"attn_mask.dtype: {_named(mask).cpp_name} and  query.dtype: {_named(query).cpp_name} "
                        "instead.")


def sdpa_causal_with_mask() -> RuntimeError:
    """PyTorch's math path (its fused CPU kernel runs without a word, on an undocumented mix of both masks)."""
    return RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")


def sdpa_gqa_heads() -> RuntimeError:
    return RuntimeError("Number of heads in key and value must divide the number of heads in ")  # (sic)


def inference_tensor_inplace() -> RuntimeError:
    """An in-place write, outside ``inference_mode``, into a tensor made in it."""
    return RuntimeError("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone "
                        "to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17"
                        " for more details.")


def sizes_twice(function: str, name: str) -> TypeError:
    """Sizes given both as positional arguments and by their keyword (``x.reshape(6, shape=(6,))``)."""
    return TypeError(f"{function}() got multiple values for argument '{name}'")


def sizes_not_tuple(function: str, name: str, value: object) -> TypeError:
    """Sizes given by their keyword as one number (``x.reshape(shape=6)``): PyTorch wants a tuple there."""
    return TypeError(f"{function}(): argument '{name}' must be tuple of ints, not {type(value).__name__}")


def typed_storage_deprecated() -> str:
    """PyTorch's warning at the first ``Tensor.storage()`` of a process (``TypedStorage`` is deprecated)."""
    return ("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the only storage "
            "class. This should only matter to you if you are using storages directly.  To access UntypedStorage "
            "directly, use tensor.untyped_storage() instead of tensor.storage()")


def too_many_dimensions(text: Any) -> ValueError:
    """``tensor(["a", "b"])``: to PyTorch a string is a sequence (of strings), so its sizes never end."""
    return ValueError(f"too many dimensions '{type(text).__name__}'")


def inference_tensor_requires_grad() -> RuntimeError:
    """``requires_grad_()``, outside ``inference_mode``, on a tensor made in it."""
    return RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")


def matrix_power_exponent(n: Any) -> TypeError:
    """``matrix_power`` with an exponent that is no int."""
    return TypeError(f"linalg_matrix_power(): argument 'n' (position 2) must be int, not {type(n).__name__}")


def unknown_device_type(types: Sequence[str], given: Any) -> RuntimeError:
    """A device string whose type PyTorch does not know ("gpu")."""
    return RuntimeError(f"Expected one of {', '.join(types)} device type at start of device string: {given}")


def invalid_device_string(given: Any) -> RuntimeError:
    """A device string whose index is no number ("cuda:x")."""
    return RuntimeError(f"Invalid device string: '{given}'")


def no_xpu() -> AssertionError:
    """An XPU device, which a CPU build of PyTorch refuses as it refuses CUDA."""
    return AssertionError("Torch not compiled with XPU enabled")


def backend_not_linked(kind: str) -> RuntimeError:
    """A device of another backend PyTorch was built without (mps, hip, vulkan, ...)."""
    return RuntimeError(f"PyTorch is not linked with support for {kind} devices")


def cdist_dims(ndim: int) -> RuntimeError:
    """cdist of a tensor with fewer than two dims."""
    return RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {ndim}D")


def cdist_columns(first: int, second: int) -> RuntimeError:
    """cdist of row vectors of different lengths."""
    return RuntimeError(f"X1 and X2 must have the same number of columns. X1: {first} X2: {second}")


def cdist_negative_p() -> RuntimeError:
    return RuntimeError("cdist only supports non-negative p values")


def cdist_dtype(dtype: Any) -> RuntimeError:
    """cdist of integers or booleans (``dtype``: minigrad's dtype)."""
    return RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {dtype.scalar_name}")


def cdist_compute_mode(mode: Any) -> ValueError:
    return ValueError(f"{mode} is not a valid value for compute_mode")


def matrix_rank_not_matrix() -> RuntimeError:
    """matrix_rank of a vector or a number."""
    return RuntimeError("minigrad.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")


def cond_not_matrix() -> RuntimeError:
    """cond of a vector or a number."""
    return RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")


def cond_not_square(order: Any, rows: int, cols: int) -> RuntimeError:
    return RuntimeError(f"linalg.cond(ord={order}): A must be batches of square matrices, but they are {rows} by "
                        f"{cols} matrices")


def multi_dot_count(count: int) -> RuntimeError:
    return RuntimeError(f"multi_dot(): expected at least 2 tensors but got {count}")


def multi_dot_dims(position: int | str, ndim: int) -> RuntimeError:
    """multi_dot with a first or last tensor (``position``: "first", "last") that is neither a vector nor a matrix, or
    a middle one (its index) that is not a matrix."""
    if isinstance(position, str):
        return RuntimeError(f"multi_dot(): the {position} tensor must be 1D or 2D but got {ndim}D")
    return RuntimeError(f"multi_dot(): tensor {position} must be 2D but got {ndim}D")


def vander_size() -> RuntimeError:
    return RuntimeError("N must be greater than 1.")


def lstsq_driver() -> RuntimeError:
    return RuntimeError("minigrad.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")


def lstsq_rows() -> RuntimeError:
    """lstsq of an A and a B with different numbers of rows."""
    return RuntimeError("minigrad.linalg.lstsq: input.size(-2) should match other.size(-2)")


def lstsq_dtypes(a: Any, b: Any) -> RuntimeError:
    """lstsq of an A and a B of different dtypes (minigrad's)."""
    return RuntimeError("minigrad.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype "
                        f"{a.scalar_name} and other's dtype {b.scalar_name}")


def weights_only_refused(global_name: str) -> str:
    """``load`` of a pickled file (a whole model) with ``weights_only=True``, the default: PyTorch's text."""
    return ("Weights only load failed. This file can still be loaded, to do so you have two options, \x1b[1mdo those "
            "steps only if you trust the source of the checkpoint\x1b[0m. \n\t(1) In PyTorch 2.6, we changed the "
            "default value of the `weights_only` argument in `torch.load` from `False` to `True`. Re-running "
            "`torch.load` with `weights_only` set to `False` will likely succeed, but it can result in arbitrary code "
            "execution. Do it only if you got the file from a trusted source.\n\t(2) Alternatively, to load with "
            "`weights_only=True` please check the recommended steps in the following error message.\n\t"
            f"WeightsUnpickler error: Unsupported global: GLOBAL {global_name} was not an allowed global by default.")


def searchsorted_side(side: str) -> RuntimeError:
    return RuntimeError(f"minigrad.searchsorted(): side and right can't be set to opposites, got side of {side} "
                        "while right was True")


def searchsorted_shapes(boundaries: Sequence[int], values: Sequence[int]) -> RuntimeError:
    return RuntimeError("minigrad.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                        "of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                        f"{list(boundaries)} and input value tensor {list(values)}")


def bucketize_boundaries(ndim: int) -> RuntimeError:
    return RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({ndim})")


def tensordot_dims() -> RuntimeError:
    return RuntimeError("both dimension lists should have same length")


def broadcast_shapes_mismatch(size: int, dim: int, index: int, shape: tuple[int, ...], result: list[int]
                              ) -> RuntimeError:
    """broadcast_shapes of shapes that do not broadcast: the first size at fault (``dim`` counted from the end)."""
    return RuntimeError(f"Attempting to broadcast a dimension of length {size} at {dim}! Mismatching argument at index "
                        f"{index} had {shape}; but expected shape should be broadcastable to {result}")


def set_default_tensor_type_warning() -> str:
    return ("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use torch.set_default_dtype() "
            "and torch.set_default_device() as alternatives.")


def range_deprecated_warning() -> str:
    return ("torch.range is deprecated and will be removed in a future release because its behavior is inconsistent "
            "with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).")


def h_needs_a_matrix(ndim: int) -> RuntimeError:
    return RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {ndim}-D tensor.")


def split_needs_dims(name: str, least: int, ndim: int) -> RuntimeError:
    """vsplit or dsplit of a tensor with too few dims."""
    return RuntimeError(f"minigrad.{name} requires a tensor with at least {least} dimension, but got a tensor with "
                        f"{ndim} dimensions!")


def split_not_divisible(name: str, dim: int, size: int, sections: int) -> RuntimeError:
    return RuntimeError(f"minigrad.{name} attempted to split along dimension {dim}, but the size of the dimension "
                        f"{size} is not divisible by the split_size {sections}!")
# ----- other names and small ops (select, sum_to_size, positive, float_power_, unfold) -------------------------
def select_0d() -> IndexError:
    """``select`` of a 0-d tensor, which has no dim to select along."""
    return IndexError("select() cannot be applied to a 0-dim tensor.")


def select_index(index: int, shape: Sequence[int], dim: int) -> IndexError:
    """``select`` with an index outside [-size, size) of its dim."""
    return IndexError(f"select(): index {index} out of range for tensor of size {list(shape)} at dimension {dim}")


def not_expandable(size: Sequence[int], shape: Sequence[int]) -> RuntimeError:
    """``sum_to_size`` to a size the tensor's shape is not an expansion of."""
    return RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")


def positive_of_bool() -> RuntimeError:
    """``positive`` (unary +) of a bool tensor."""
    return RuntimeError("The `+` operator, on a bool tensor is not supported.")


def float_power_inplace_dtype(dtype: DTypeLike) -> RuntimeError:
    """``float_power_`` into a tensor that is not float64 (the result is float64)."""
    return RuntimeError(f"the base given to float_power_ has dtype {_named(dtype).scalar_name} but the operation's "
                        "result requires dtype Double")


def polygamma_negative() -> RuntimeError:
    """``polygamma`` of a negative order n."""
    return RuntimeError("polygamma(n, x) does not support negative n.")


def nanmean_dtype(dtype: DTypeLike) -> RuntimeError:
    """``nanmean`` of an integer or bool tensor."""
    return RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                        f"{_named(dtype).scalar_name}")


def xlogy_arguments(self: Any, other: Any) -> TypeError:
    """``xlogy`` of two numbers (or of things that are no tensor), which none of its overloads takes."""
    got = ", ".join(type(x).__name__ for x in (self, other))
    return TypeError(f"xlogy() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                     " * (Number self, Tensor other, *, Tensor out = None)\n"
                     " * (Tensor input, Number other, *, Tensor out = None)\n")


def diff_0d() -> RuntimeError:
    return RuntimeError("diff expects input to be at least one-dimensional")


def diff_ends_dims() -> RuntimeError:
    """``diff``'s prepend or append with another number of dims than the input."""
    return RuntimeError("diff expects prepend or append to be the same dimension as input")


def diff_order(n: int) -> RuntimeError:
    return RuntimeError(f"order must be non-negative but got {n}")


def cov_dims(function: str, ndim: int) -> RuntimeError:
    """``cov`` or ``corrcoef`` of a tensor of more than two dims."""
    return RuntimeError(f"{function}(): expected input to have two or fewer dimensions but got an input with {ndim} "
                        "dimensions")


def cov_bool() -> RuntimeError:
    return RuntimeError("cov(): bool dtype is not supported for input")


def cov_weights(name: str, expectation: str) -> RuntimeError:
    """``cov``'s fweights or aweights of the wrong dims, dtype or length."""
    return RuntimeError(f"cov(): expected {name} {expectation}")


def cov_negative_weights(name: str) -> RuntimeError:
    return RuntimeError(f"cov(): {name} cannot be negative")


def cov_weights_sum() -> RuntimeError:
    return RuntimeError("cov(): weights sum to zero, can't be normalized")


def cov_freedom_warning() -> str:
    return "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of observations."


def unfold_size(axis: int, length: int, size: int) -> RuntimeError:
    """``unfold`` with windows longer than the dim."""
    return RuntimeError(f"maximum size for tensor at dimension {axis} is {length} but size is {size}")


def unfold_step(step: int) -> RuntimeError:
    return RuntimeError(f"step is {step} but must be > 0")


def unfold_negative_size(size: int) -> RuntimeError:
    return RuntimeError(f"size is {size} but must be >= 0")


def masked_scatter_mask(dtype: DTypeLike) -> RuntimeError:
    return RuntimeError("masked_scatter_ only supports boolean masks, but got mask with dtype "
                        f"{_named(dtype).scalar_name}")


def masked_scatter_dtypes(dtype: DTypeLike, source: DTypeLike) -> RuntimeError:
    """``masked_scatter`` with a source of another dtype (PyTorch's text, without its space before the dtypes)."""
    return RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got"
                        f"{_named(dtype).scalar_name} and {_named(source).scalar_name}")


def masked_scatter_source() -> RuntimeError:
    return RuntimeError("Number of elements of source < number of ones in mask")


def check_quantile(data: Any, q: Any, interpolation: str) -> None:
    """PyTorch's errors for quantile's and nanquantile's arguments (``data`` and ``q`` minigrad's tensors)."""
    if data.numel() == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if q.dim() > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if not data.is_floating_point():
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if q.dtype != data.dtype:
        raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
    if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but "
                           f"got {interpolation}")
    values = q.detach().reshape(-1).tolist()
    if not all(0 <= v <= 1 for v in values):
        bad = next(v for v in values if not 0 <= v <= 1)
        raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {bad}" if q.dim() == 0 else
                           "quantile() q values must be in the range [0, 1]")
