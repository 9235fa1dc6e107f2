"""``minigrad.func``: function transforms, as ``torch.func`` has them.

A transform takes a function f and returns a function that computes a derivative of f:

- ``grad(f)(x)``: d f / dx for a scalar f; ``grad_and_value(f)(x)``: that and f(x);
- ``vjp(f, x)``: f(x) and the function v -> v^T J (J = df/dx); ``jvp(f, (x,), (v,))``: f(x) and J v;
- ``jacrev(f)(x)``: J row by row, one reverse pass per output element; ``jacfwd(f)(x)``: J column by column, one
  Jacobian-vector product per input element; ``hessian(f) = jacfwd(jacrev(f))``.

``argnums`` picks the arguments to differentiate (an int, or a tuple of them: then a tuple of results); an argument
may be a tensor or a tuple, list or dict of them (a small "pytree"), and the results have its shape. ``has_aux``: f
returns (output, aux) and aux comes back untouched.

torch.func marks each transform's tensors with a level. minigrad has no levels: a transform runs f on new tensors
that require grad (a detached copy of each differentiated input, or a view of one that already requires grad, so the
result stays differentiable with respect to it), differentiates with ``create_graph=True``, and detaches each result
that depends on nothing outside the transform. So transforms nest (the inner one's inputs require grad, and its
results depend on them) and a result carries a graph where torch.func's would.

Forward mode (``jvp``, ``jacfwd``) runs f on dual tensors (``autograd.forward_ad``), or, inside another forward
transform or where its result must carry a graph, on the double-backward trick: see ``_linearize``, the one place
that computes Jacobian-vector products. Inside a forward transform the transforms it runs record their passes, so
tangents flow through them (``hessian`` is forward over reverse). There is no vmap: Jacobians are built one row or
column at a time, so ``chunk_size`` and ``randomness`` change nothing.

``vmap(f)`` maps f over a dim of its inputs as a loop: f runs on each slice and the results are stacked, which is
what torch.func's batching rules compute in one pass (the same values; the same draws only for f without
randomness).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from .autograd import forward_ad
from .autograd.engine import AccumulateGrad
from .autograd.grad_mode import enable_grad, is_grad_enabled
from .factories import zeros_like
from .functional_autodiff import _autograd_grad
from .functions import stack
from .tensor import Tensor

__all__ = ["functional_call", "grad", "grad_and_value", "hessian", "jacfwd", "jacrev", "jvp", "vjp", "vmap"]

Argnums = int | tuple[int, ...]


def __dir__() -> list[str]:
    return __all__


# ----- pytrees: tensors in tuples, lists and dicts ------------------------------------------------------------------
class _Spec(NamedTuple):
    """A tree's shape: a leaf (``kind`` None), or a tuple, list or dict (``keys``) of subtrees."""

    kind: type | None = None
    keys: tuple[Any, ...] = ()
    children: tuple[_Spec, ...] = ()

    def __repr__(self, indent: int = 0) -> str:  # PyTorch's TreeSpec repr
        if self.kind is None:
            return "*"
        context = list(self.keys) if self.kind is dict else None
        inner = (",\n" + " " * (indent + 2)).join(child.__repr__(indent + 2) for child in self.children)
        return f"TreeSpec({self.kind.__name__}, {context}, [{inner}])"


def _flatten(tree: Any) -> tuple[list[Any], _Spec]:
    if isinstance(tree, (tuple, list, dict)):
        keys = tuple(tree) if isinstance(tree, dict) else ()
        parts = [_flatten(tree[k]) for k in keys] if keys else [_flatten(x) for x in tree]
        return [leaf for leaves, _ in parts for leaf in leaves], _Spec(type(tree), keys, tuple(s for _, s in parts))
    return [tree], _Spec()


def _unflatten(leaves: Sequence[Any], spec: _Spec) -> Any:
    it = iter(leaves)

    def build(s: _Spec) -> Any:
        if s.kind is None:
            return next(it)
        children = [build(c) for c in s.children]
        if s.kind is dict:
            return dict(zip(s.keys, children))
        return s.kind(*children) if hasattr(s.kind, "_fields") else s.kind(children)  # (a namedtuple: by position)
    return build(spec)


class _Star:
    def __repr__(self) -> str:
        return "*"


def _pprint(spec: _Spec) -> str:
    """The tree with a * for each leaf (PyTorch's ``treespec_pprint``)."""
    return repr(_unflatten([_Star()] * _num_leaves(spec), spec))


def _num_leaves(spec: _Spec) -> int:
    return 1 if spec.kind is None else sum(_num_leaves(c) for c in spec.children)


# ----- arguments ------------------------------------------------------------------------------------------------------
def _wrap_argnum(argnum: Any, num_args: int) -> int:
    if not isinstance(argnum, int):
        raise RuntimeError(f"argnum must be int, got: {type(argnum)}")
    if -num_args <= argnum < num_args:
        return argnum % num_args
    raise RuntimeError(f"Got argnum={argnum}, but only {num_args} positional inputs")


def _slice_argnums(args: tuple[Any, ...], argnums: Any, as_tuple: bool = True) -> Any:
    """The arguments ``argnums`` picks (PyTorch's errors for a bad one)."""
    if not isinstance(argnums, (int, tuple)):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    if isinstance(argnums, int):
        picked = args[_wrap_argnum(argnums, len(args))]
        return (picked,) if as_tuple else picked
    argnums = tuple(_wrap_argnum(a, len(args)) for a in argnums)
    if not argnums:
        raise RuntimeError("argnums must be non-empty")
    if len(set(argnums)) != len(argnums):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    return tuple(args[i] for i in argnums)


def _replace_args(args: tuple[Any, ...], argnums: Argnums | None, new: Any) -> tuple[Any, ...]:
    """``args`` with the ones ``argnums`` picks (all for None) replaced by ``new`` (as ``_slice_argnums`` gives
    them with ``as_tuple=False``)."""
    if argnums is None:
        return tuple(new)
    if isinstance(argnums, int):
        argnums, new = (argnums,), (new,)
    replaced = list(args)
    for i, value in zip(argnums, new):
        replaced[i % len(args)] = value
    return tuple(replaced)


def _differentiable(x: Any) -> Tensor:
    """A new tensor for x that requires grad: a view of x if x requires grad already, else a detached copy."""
    if not isinstance(x, Tensor):
        raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")
    if x.requires_grad:
        return x.view_as(x)
    tangent = forward_ad.tangent_of(x) if forward_ad.is_open() else None  # (inside jacfwd: the tangent goes along)
    copy = x.detach().requires_grad_()
    return copy if tangent is None else forward_ad.make_dual(copy, tangent)


def _reaches_outside(t: Tensor, inner: Sequence[Tensor]) -> bool:
    """Whether ``t``'s graph reaches a tensor requiring grad other than the transform's own leaves ``inner``."""
    owned = {id(x) for x in inner}
    if t.grad_fn is None:
        return t.requires_grad and id(t) not in owned
    seen, todo = set(), [t.grad_fn]
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, AccumulateGrad):
            if id(node.variable) not in owned:
                return True
        else:
            todo.extend(child for child, _ in node.next_functions)
    return False


def _needs_graph(keep_graph: bool, tensors: Sequence[Any], inner: Sequence[Tensor]) -> bool:
    """Whether derivatives of ``tensors`` must be recorded (``create_graph``): only if they are to be seen outside
    the transform with a graph. Else a first-order pass does, which works for every op."""
    if forward_ad.is_open():  # inside jacfwd: tangents flow only through recorded passes
        return True
    return keep_graph and any(isinstance(t, Tensor) and _reaches_outside(t, inner) for t in tensors)


def _undo(tree: Any, inner: Sequence[Tensor], keep_graph: bool) -> Any:
    """The tensors of ``tree`` as seen outside the transform: detached unless grad mode was on when it was called
    and they depend on something outside it."""
    leaves, spec = _flatten(tree)
    return _unflatten([x.detach() if isinstance(x, Tensor) and not (keep_graph and _reaches_outside(x, inner)) else x
                       for x in leaves], spec)


def _split_aux(output: Any, has_aux: bool, api: str) -> tuple[Any, Any]:
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(f"{api}: output of function f should be a tuple: (output, aux) if has_aux is True")
    return output


def _check_tensor_outputs(flat: list[Any], api: str) -> None:
    if not flat or (len(flat) == 1 and flat[0] is None):
        raise RuntimeError(f"{api}: Expected f to be a function that has non-empty output (got output = {flat})")
    for o in flat:
        if not isinstance(o, Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got unsupported type {type(o)}")


def _zeros_for_missing(grads: Sequence[Tensor | None], refs: Sequence[Tensor]) -> list[Tensor]:
    return [zeros_like(r) if g is None else g for g, r in zip(grads, refs)]


# ----- reverse mode ---------------------------------------------------------------------------------------------------
def grad_and_value(func: Callable[..., Any], argnums: Argnums = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The function ``(*args) -> (d func / d args[argnums], func(*args))`` for a ``func`` returning a 0-dim tensor
    (``has_aux``: ``(grad, (value, aux))``)."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        keep_graph = is_grad_enabled()
        with enable_grad():
            flat, spec = _flatten(_slice_argnums(args, argnums, as_tuple=False))
            inner = [_differentiable(x) for x in flat]
            output, aux = _split_aux(func(*_replace_args(args, argnums, _unflatten(inner, spec)), **kwargs), has_aux,
                                     "grad_and_value(f)(*args)")
            if not isinstance(output, Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got "
                                   f"{type(output)}")
            if output.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor "
                                   f"with {output.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?")
            found = _autograd_grad((output,), tuple(inner), create_graph=_needs_graph(keep_graph, [output], inner))
            grads = _zeros_for_missing(found, inner)
        grads, output = _undo(_unflatten(grads, spec), inner, keep_graph), _undo(output, inner, keep_graph)
        return (grads, (output, _undo(aux, inner, keep_graph))) if has_aux else (grads, output)
    return wrapper


def grad(func: Callable[..., Any], argnums: Argnums = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The function ``(*args) -> d func / d args[argnums]`` for a ``func`` returning a 0-dim tensor (``has_aux``:
    ``(grad, aux)``). Nest it for higher derivatives: ``grad(grad(f))``."""
    with_value = grad_and_value(func, argnums, has_aux)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        grads, value = with_value(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads
    return wrapper


def vjp(func: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple[Any, ...]:
    """``(func(*primals), vjp_fn)`` (``has_aux``: and aux), where ``vjp_fn(v)`` is v^T J for each primal, v shaped
    like the output."""
    return _vjp_with_argnums(func, *primals, has_aux=has_aux)


def _vjp_with_argnums(func: Callable[..., Any], *primals: Any, argnums: Argnums | None = None,
                      has_aux: bool = False) -> tuple[Any, ...]:
    keep_graph = is_grad_enabled()
    with enable_grad():
        diff = primals if argnums is None else _slice_argnums(primals, argnums, as_tuple=False)
        flat, spec = _flatten(diff)
        inner = [_differentiable(x) for x in flat]
        output, aux = _split_aux(func(*_replace_args(primals, argnums, _unflatten(inner, spec))), has_aux,
                                 "vjp(f, *primals)")
        flat_out, out_spec = _flatten(output)
        _check_tensor_outputs(flat_out, "vjp(f, *primals)")
        for out in flat_out:
            if not out.is_floating_point():
                raise RuntimeError("vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got "
                                   f"Tensor with dtype {out.dtype}")
    outputs_reach_outside = _needs_graph(True, flat_out, inner)  # (walked once, not at each vjp_fn call)

    def vjp_fn(cotangents: Any, retain_graph: bool = True, create_graph: bool | None = None) -> Any:
        flat_cot, cot_spec = _flatten(cotangents)
        if create_graph is None:  # PyTorch: is_grad_enabled(); the same results, and no recording where none is seen
            create_graph = is_grad_enabled() and (outputs_reach_outside or _needs_graph(True, flat_cot, inner))
        if cot_spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure of "
                               f"outputs to the function. cotangents: {_pprint(cot_spec)}, primal output: "
                               f"{_pprint(out_spec)}")
        found = _autograd_grad(tuple(flat_out), tuple(inner), tuple(flat_cot), create_graph=create_graph,
                               retain_graph=retain_graph)
        return _undo(_unflatten(_zeros_for_missing(found, inner), spec), inner, create_graph)

    result = (_undo(output, inner, keep_graph), vjp_fn)
    return (*result, _undo(aux, inner, keep_graph)) if has_aux else result


def jacrev(func: Callable[..., Any], argnums: Argnums = 0, *, has_aux: bool = False, chunk_size: int | None = None,
           _preallocate_and_copy: bool = False) -> Callable[..., Any]:
    """The function ``(*args) -> J``, J = d func / d args[argnums] built row by row: one vjp per output element,
    v one-hot. For output o and argument a, J has shape ``o.shape + a.shape``."""
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    def wrapper(*args: Any) -> Any:
        output, vjp_fn, *aux = _vjp_with_argnums(func, *args, argnums=argnums, has_aux=has_aux)
        flat_out, out_spec = _flatten(output)
        flat_primals, primals_spec = _flatten(_slice_argnums(args, argnums))
        rows: list[list[list[Tensor]]] = [[[] for _ in flat_primals] for _ in flat_out]  # [output][primal][row]
        for k, out in enumerate(flat_out):
            for e in range(out.numel()):
                basis = [zeros_like(o) for o in flat_out]
                basis[k].view(-1)[e] = 1
                for j, row in enumerate(_flatten(vjp_fn(_unflatten(basis, out_spec)))[0]):
                    rows[k][j].append(row)
        jac = [[stack(r, dim=0).view(out.shape + p.shape) for r, p in zip(per_primal, flat_primals)]
               for per_primal, out in zip(rows, flat_out)]
        return _assemble(jac, out_spec, primals_spec, argnums, aux)
    return wrapper


def _assemble(jac: list[list[Tensor]], out_spec: _Spec, primals_spec: _Spec, argnums: Argnums, aux: list[Any]
              ) -> Any:
    """The Jacobian blocks [flat output][flat primal] nested as torch.func nests them: outputs outside, then the
    arguments (unwrapped for an int ``argnums``), and aux beside it if there is one."""
    per_output = [_unflatten(blocks, primals_spec) for blocks in jac]
    if isinstance(argnums, int):
        per_output = [blocks[0] for blocks in per_output]
    result = _unflatten(per_output, out_spec)
    return (result, aux[0]) if aux else result


# ----- forward mode ---------------------------------------------------------------------------------------------------
_JVP = "jvp(f, primals, tangents)"


class _Linearized(NamedTuple):
    output: Any  # f's output (tree), as seen outside the transform
    aux: Any
    push: Callable[[Sequence[Tensor]], list[Tensor | None]]  # tangents of the flat primals -> of the flat outputs


def _linearize(func: Callable[..., Any], primals: tuple[Any, ...], argnums: Argnums | None,
               flat_primals: list[Tensor], spec: _Spec, has_aux: bool) -> _Linearized:
    """Run f once and return what pushes tangents through its Jacobian: t -> J t for each flat output (None where
    the output does not depend on the primals).

    Forward-mode AD where it can serve: f run again on dual tensors (primal, t), the outputs' tangents read off. Where
    it cannot (a dual level is already open, as in jacfwd of jacfwd, or the result must carry a graph, which tangents
    do not), the double-backward trick: g(u) = J^T u is linear in u, so J t = d<g(u), t>/du (u = 0 requiring grad).
    """
    keep_graph = is_grad_enabled()
    with enable_grad():
        inner = [_differentiable(x) for x in flat_primals]
        output, aux = _split_aux(func(*_replace_args(primals, argnums, _unflatten(inner, spec))), has_aux, _JVP)
        flat_out, _ = _flatten(output)
        _check_tensor_outputs(flat_out, _JVP)
        us = [zeros_like(out, requires_grad=True) for out in flat_out]
    owned = [*inner, *us]
    transposed: list[Any] = []  # g(u), recorded once, the first time the double-backward trick is needed

    def push(tangents: Sequence[Tensor]) -> list[Tensor | None]:
        if not forward_ad.is_open() and not _needs_graph(keep_graph, [*flat_primals, *tangents], ()):
            return _forward_tangents(func, primals, argnums, flat_primals, spec, has_aux, tangents)
        if not transposed:
            with enable_grad():
                transposed.append(_autograd_grad(tuple(flat_out), tuple(inner), tuple(us), create_graph=True))
        pairs = [(gi, t) for gi, t in zip(transposed[0], tangents) if gi is not None]
        if not pairs:
            return [None] * len(us)
        gs, ts = zip(*pairs)
        create_graph = _needs_graph(keep_graph, [*gs, *ts], owned)
        found = _autograd_grad(gs, tuple(us), ts, create_graph=create_graph, retain_graph=True)
        return [None if f is None else _undo(f, owned, keep_graph) for f in found]

    return _Linearized(_undo(output, inner, keep_graph), _undo(aux, inner, keep_graph), push)


def _forward_tangents(func: Callable[..., Any], primals: tuple[Any, ...], argnums: Argnums | None,
                      flat_primals: list[Tensor], spec: _Spec, has_aux: bool, tangents: Sequence[Tensor]
                      ) -> list[Tensor | None]:
    """J t by forward-mode AD: f run on the dual tensors (primal, t); None for an output that has no tangent (it does
    not depend on the primals)."""
    def run(duals: list[Tensor]) -> Any:
        return func(*_replace_args(primals, argnums, _unflatten(duals, spec)))

    _, pushed = forward_ad.pushforward(run, [p.detach() for p in flat_primals], [t.detach() for t in tangents],
                                       lambda result: _flatten(_split_aux(result, has_aux, _JVP)[0])[0])
    return pushed


def _tangents_out(lin: _Linearized, tangents: Sequence[Tensor], strict: bool) -> Any:
    """J t for each output, shaped like the output tree: zeros where an output is independent of the primals."""
    flat_out, out_spec = _flatten(lin.output)
    pushed = lin.push(tangents)
    if strict and any(p is None for p in pushed):
        raise RuntimeError("jvp(f, primals, tangents, strict=True): The output of f is independent of the inputs. "
                           "This is not allowed with strict=True.")
    return _unflatten(_zeros_for_missing(pushed, flat_out), out_spec)


def jvp(func: Callable[..., Any], primals: Any, tangents: Any, *, strict: bool = False, has_aux: bool = False
        ) -> tuple[Any, ...]:
    """``(func(*primals), J tangents)`` (``has_aux``: and aux): the Jacobian-vector product, tangents shaped like
    the primals."""
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{_JVP}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals).")
    flat_primals, spec = _flatten(primals)
    flat_tangents, tangents_spec = _flatten(tangents)
    if spec != tangents_spec:
        raise RuntimeError(f"{_JVP}: Expected primals and tangents to have the same python structure. For example, "
                           "if primals is a tuple of 3 tensors, tangents also must be. Got primals with structure "
                           f"{spec!r} and tangents with structure {tangents_spec!r}")
    for name, flat in (("primals", flat_primals), ("tangents", flat_tangents)):
        if not flat:
            raise RuntimeError(f"{_JVP}: Expected {name} to contain at least one Tensor.")
        for x in flat:
            if not isinstance(x, Tensor):
                raise RuntimeError(f"{_JVP}: Expected {name} to only contain Tensors, got {type(x)}")
    for p, t in zip(flat_primals, flat_tangents):
        if p.shape != t.shape:
            raise RuntimeError("Trying to set a forward gradient that has a different size than that of the original "
                               f"Tensor, this is not supported. Tensor is of size {list(p.shape)} while the given "
                               f"forward gradient is of size {list(t.shape)}.")
    lin = _linearize(func, primals, None, flat_primals, spec, has_aux)
    result = (lin.output, _tangents_out(lin, flat_tangents, strict))
    return (*result, lin.aux) if has_aux else result


def jacfwd(func: Callable[..., Any], argnums: Argnums = 0, has_aux: bool = False, *, randomness: str = "error"
           ) -> Callable[..., Any]:
    """The function ``(*args) -> J``, J = d func / d args[argnums] built column by column: one Jacobian-vector
    product per input element, the tangent one-hot. For output o and argument a, J has shape ``o.shape + a.shape``."""
    def wrapper(*args: Any) -> Any:
        if randomness not in ("error", "different", "same"):
            raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. Got "
                               f"{randomness}")
        flat_primals, primals_spec = _flatten(_slice_argnums(args, argnums))
        _, spec = _flatten(_slice_argnums(args, argnums, as_tuple=False))  # (the same leaves, not in a tuple)
        lin = _linearize(func, args, argnums, flat_primals, spec, has_aux)
        flat_out, out_spec = _flatten(lin.output)
        columns: list[list[Tensor]] = [[] for _ in flat_out]  # [output][column]: J e_c, shaped like the output
        for j, primal in enumerate(flat_primals):
            for e in range(primal.numel()):
                basis = [zeros_like(p) for p in flat_primals]
                basis[j].view(-1)[e] = 1
                for k, column in enumerate(_flatten(_tangents_out(lin, basis, strict=False))[0]):
                    columns[k].append(column)
        starts = [0]
        for p in flat_primals:
            starts.append(starts[-1] + p.numel())
        jac = [[stack(cols[a:b], dim=-1).view(out.shape + p.shape)
                for a, b, p in zip(starts, starts[1:], flat_primals)] for cols, out in zip(columns, flat_out)]
        return _assemble(jac, out_spec, primals_spec, argnums, [lin.aux] if has_aux else [])
    return wrapper


def hessian(func: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The function ``(*args) -> H``, the second derivative of ``func`` with respect to ``args[argnums]``: the
    forward-mode Jacobian of its reverse-mode Jacobian, ``jacfwd(jacrev(func, argnums), argnums)``."""
    return jacfwd(jacrev(func, argnums), argnums)


# ----- functional_call: a module run on other parameters ------------------------------------------------------------
_MISSING = object()  # a name the module does not have (allowed: the tensor is set as a plain attribute)


def _swap(module: Any, dotted: str, tensor: Any) -> Any:
    """Put ``tensor`` where ``module``'s ``dotted`` parameter, buffer or attribute is (``_MISSING``: remove it), and
    return what was there (``_MISSING`` if nothing): PyTorch's ``NamedMemberAccessor.swap_tensor``."""
    prefix, _, name = dotted.rpartition(".")
    for part in prefix.split(".") if prefix else ():
        module = getattr(module, part)
    for registry in (module._parameters, module._buffers):
        if name in registry:
            old = registry[name]
            if tensor is _MISSING:
                del registry[name]
            else:
                registry[name] = tensor
            return old
    old = getattr(module, name, _MISSING)
    if tensor is not _MISSING:
        setattr(module, name, tensor)
    elif old is not _MISSING:
        delattr(module, name)
    return old


def _untied(module: Any, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` with each tensor the module shares under several names (tied weights) given under all of them;
    different values for one shared tensor fail, as in PyTorch."""
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(module.named_buffers(remove_duplicate=False))
    names_of: dict[int, set[str]] = {}
    for name, tensor in named.items():
        names_of.setdefault(id(tensor), set()).add(name)
    tied = {name: names for names in names_of.values() if len(names) > 1 for name in names}
    untied = dict(given)
    for name in (n for n in given if n in tied):
        if len(tied[name] & given.keys()) > 1 and len({id(given[n]) for n in tied[name] if n in given}) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(tied[name])}, which are tied. "
                             "Consider using tie_weights=False")
        untied.update(dict.fromkeys(tied[name], given[name]))
    return untied


@contextmanager
def _reparametrized(module: Any, given: dict[str, Any], tie_weights: bool, strict: bool) -> Iterator[None]:
    """Within the block, ``module`` holds ``tensors`` in place of its own; they are put back afterwards, and a
    tensor the module replaced meanwhile (a buffer reassigned in forward) is written back into ``given``."""
    tensors = _untied(module, given) if tie_weights else given
    if strict:
        valid = {name for name, _ in module.named_parameters(remove_duplicate=False)}
        valid |= {name for name, _ in module.named_buffers(remove_duplicate=False)}
        missing, unexpected = sorted(valid - tensors.keys()), sorted(tensors.keys() - valid)
        messages = ([f"Unexpected key(s): {', '.join(map(repr, unexpected))}."] if unexpected else []) + (
            [f"Missing key(s): {', '.join(map(repr, missing))}."] if missing else [])
        if messages:
            raise RuntimeError(f"Error(s) in reparametrizing for {type(module).__name__}:\n\t" + "\n\t".join(messages))
    originals: dict[str, Any] = {}
    try:
        for name, tensor in tensors.items():
            originals[name] = _swap(module, name, tensor)
        yield
    finally:
        held = {name: _swap(module, name, tensor) for name, tensor in originals.items()}
        given.update({name: held[name] for name in given if name in held})


def functional_call(module: Any, parameter_and_buffer_dicts: dict[str, Tensor] | Sequence[dict[str, Tensor]],
                    args: Any = None, kwargs: dict[str, Any] | None = None, *, tie_weights: bool = True,
                    strict: bool = False) -> Any:
    """``module(*args, **kwargs)`` with the named tensors (``{"fc.weight": w, ...}``, or a list of such dicts with
    no name twice) in place of the module's parameters and buffers, which are restored afterwards: f(x; θ) as a
    function of θ, so ``grad`` and ``jacrev`` can differentiate it with respect to the parameters.

    A name the dicts leave out keeps the module's own tensor (unless ``strict``: then every parameter and buffer
    must be given, and nothing else). ``tie_weights``: a tensor the module uses under several names takes the
    value given for any of them. ``args`` that is not a tuple is the one argument.
    """
    if isinstance(parameter_and_buffer_dicts, dict):
        tensors = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, Sequence):
        if not all(isinstance(d, dict) for d in parameter_and_buffer_dicts):
            raise ValueError("Expected all elements of parameter_and_buffer_dicts to be dictionaries")
        keys = [k for d in parameter_and_buffer_dicts for k in d]
        repeated = list(dict.fromkeys(k for k in keys if keys.count(k) > 1))
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of functional call is ambiguous")
        tensors = {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}
    else:
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but got "
                         f"{type(parameter_and_buffer_dicts)}")
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    with _reparametrized(module, tensors, tie_weights, strict):
        return module(*args, **(kwargs or {}))


# ----- vmap: f over a dim of its inputs ---------------------------------------------------------------------------
def vmap(func: Callable[..., Any], in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size: int | None = None) -> Callable[..., Any]:
    """f mapped over dim ``in_dims`` of its inputs (an int for all, None for an input not mapped, or a tree matching
    the arguments'), its outputs stacked along ``out_dims``: ``vmap(torch.dot)(x, y)`` is the dot of each row pair.
    Computed as a loop over the slices (see the module's docstring); PyTorch's errors for inputs that do not fit."""
    name = getattr(func, "__name__", repr(func))

    def mapped(*args: Any, **kwargs: Any) -> Any:
        leaves, spec = _flatten(args)
        dims = _in_dims_per_leaf(in_dims, args, spec, name)
        sizes = []
        for leaf, dim in zip(leaves, dims):
            if dim is None:
                continue
            if not isinstance(leaf, Tensor):
                raise ValueError(f"vmap({name}, in_dims={in_dims!r}, ...)(<inputs>): Got in_dim={dim} for an input but "
                                 f"the input is of type {type(leaf)}. We cannot vmap over non-Tensor arguments, please "
                                 "use None as the respective in_dim")
            if not -leaf.dim() <= dim < leaf.dim():
                raise ValueError(f"vmap({name}, in_dims={in_dims!r}, ...)(<inputs>): Got in_dim={dim} for some input, "
                                 f"but that input is a Tensor of dimensionality {leaf.dim()} so expected in_dim to "
                                 f"satisfy -{leaf.dim()} <= in_dim < {leaf.dim()}.")
            sizes.append(leaf.shape[dim])
        if not sizes:
            raise ValueError("vmap: Expected at least one Tensor to vmap over")
        if len(set(sizes)) > 1:
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
                             f"{sizes} for the mapped dimension")
        results = [func(*_unflatten([leaf if dim is None else _slice(leaf, dim, i) for leaf, dim in zip(leaves, dims)],
                                    spec), **kwargs) for i in range(sizes[0])]
        return _stacked(results, out_dims, name)

    return mapped


def _in_dims_per_leaf(in_dims: Any, args: tuple[Any, ...], spec: _Spec, name: str) -> list[int | None]:
    """The mapped dim of each leaf of the arguments: ``in_dims`` spread over their tree (an int or None applies to
    everything under it), PyTorch's error where its structure does not fit theirs."""
    if isinstance(in_dims, int) or in_dims is None:
        return [in_dims] * _num_leaves(spec)
    if isinstance(in_dims, tuple) and len(in_dims) == len(args):
        dims: list[int | None] = []
        for arg, arg_dims in zip(args, in_dims):
            leaves, arg_spec = _flatten(arg)
            if isinstance(arg_dims, int) or arg_dims is None:
                dims += [arg_dims] * len(leaves)
                continue
            given, given_spec = _flatten(arg_dims)
            if given_spec != arg_spec:
                break
            dims += given
        else:
            return dims
    given = _flatten(in_dims)[1] if isinstance(in_dims, (tuple, list, dict)) else _Spec()
    raise ValueError(f"vmap({name}, in_dims={in_dims!r}, ...)(<inputs>): in_dims is not compatible with the structure "
                     f"of `inputs`. in_dims has structure {given!r} but inputs has structure {spec!r}.")


def _slice(t: Tensor, dim: int, i: int) -> Tensor:
    """t[..., i, ...] at ``dim`` (a view: SelectBackward0)."""
    return t[(slice(None),) * (dim % t.dim()) + (i,)]


def _stacked(results: list[Any], out_dims: Any, name: str) -> Any:
    """The per-slice results of f, stacked along ``out_dims`` leaf by leaf (None: an output not mapped, the
    first slice's)."""
    flats = [_flatten(result) for result in results]
    spec = flats[0][1]
    dims = [out_dims] * _num_leaves(spec) if isinstance(out_dims, int) or out_dims is None else _flatten(out_dims)[0]
    stacked = []
    for position, dim in enumerate(dims):
        column = [leaves[position] for leaves, _ in flats]
        if dim is None:
            stacked.append(column[0])
            continue
        if not isinstance(column[0], Tensor):
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(column[0])}. Did "
                             "you mean to set out_dims= to None for output?")
        stacked.append(stack(column, dim))
    return _unflatten(stacked, spec)
