"""``minigrad.distributions`` against ``torch.distributions``: values, gradients, samples under the same seed, errors.

Values and gradients are compared on random parameters in float32 and float64, torch on each device. Samples are
compared with torch on the CPU only (CUDA's generator is another stream), value for value: ``Normal``'s ``sample``
and ``rsample``, ``Uniform``'s ``rsample``, ``Bernoulli``'s and ``Categorical``'s ``sample`` draw the same words and
transform them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error, numpy_of

import minigrad

DTYPES = ["float32", "float64"]


def _on(fw: Any, device: str) -> str:
    return device if fw is torch else "cpu"


def _leaves(fw: Any, device: str, *arrays: np.ndarray) -> list[Any]:
    """Each array as a leaf that requires grad, in ``fw`` (torch's on ``device``)."""
    return [fw.tensor(a, device=_on(fw, device), requires_grad=True) for a in arrays]


def _assert_all_close(ours: dict[str, Any], theirs: dict[str, Any], float32_atol: float | None = None) -> None:
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert_close(ours[name], theirs[name], name, float32_atol=float32_atol)


# ----- Normal ---------------------------------------------------------------------------------------------------------
def _normal_case(fw: Any, device: str, arrays: list[np.ndarray]) -> dict[str, Any]:
    loc, scale = _leaves(fw, device, arrays[0], arrays[1])
    value = fw.tensor(arrays[2], device=_on(fw, device))
    quantile = fw.tensor(arrays[3], device=_on(fw, device))
    d = fw.distributions.Normal(loc, scale)
    out = {"log_prob": d.log_prob(value), "entropy": d.entropy(), "cdf": d.cdf(value), "icdf": d.icdf(quantile),
           "mean": d.mean, "stddev": d.stddev, "variance": d.variance, "mode": d.mode}
    loss = out["log_prob"].sum() + out["entropy"].sum() + out["cdf"].sum() + out["icdf"].sum()
    loss.backward()
    out |= {"loc.grad": loc.grad, "scale.grad": scale.grad}
    assert tuple(d.batch_shape) == arrays[0].shape and tuple(d.event_shape) == ()
    return out


@pytest.mark.parametrize("dtype", DTYPES)
def test_normal_values_and_gradients(device: str, dtype: str) -> None:
    rng = np.random.default_rng(1)
    shape = (3, 5)
    arrays = [rng.standard_normal(shape), rng.uniform(0.2, 3.0, shape), 2 * rng.standard_normal(shape),
              rng.uniform(0.01, 0.99, shape)]
    arrays = [a.astype(dtype) for a in arrays]
    _assert_all_close(_normal_case(minigrad, device, arrays), _normal_case(torch, device, arrays))


@pytest.mark.parametrize("dtype", DTYPES)
def test_normal_broadcasts_numbers_and_tensors(device: str, dtype: str) -> None:
    """A number takes the tensor's dtype; loc (3, 1) and scale (4,) make a batch of (3, 4), two numbers one of ()."""
    rng = np.random.default_rng(2)
    loc, scale, value = rng.standard_normal((3, 1)), rng.uniform(0.5, 2, 4), rng.standard_normal((2, 3, 4))
    results = []
    for fw in (minigrad, torch):
        dev = _on(fw, device)
        t = [fw.tensor(a.astype(dtype), device=dev) for a in (loc, scale, value)]
        pair = fw.distributions.Normal(t[0], t[1])
        mixed = fw.distributions.Normal(0.5, t[1])
        numbers = fw.distributions.Normal(0.5, 2.0)
        assert tuple(pair.batch_shape) == (3, 4) and tuple(mixed.batch_shape) == (4,)
        assert tuple(numbers.batch_shape) == () and numbers.loc.dtype == fw.float32
        results.append({"pair": pair.log_prob(t[2]), "mixed": mixed.log_prob(t[2]), "mixed.loc": mixed.loc,
                        "numbers": numbers.log_prob(fw.tensor(0.25, device=dev))})
    _assert_all_close(*results)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("sample_shape", [(), (4,), (2, 3)])
@pytest.mark.parametrize("batch", [(3,), (5, 4)])  # 3·(sample) values: the scalar sampler; 20+: the block sampler
def test_normal_samples_match_torch_under_the_same_seed(dtype: str, sample_shape: tuple[int, ...],
                                                        batch: tuple[int, ...]) -> None:
    """rsample (loc + eps·scale, eps from normal_) and sample (torch.normal(loc, scale)) give torch's values to the
    bit, the rsample-based loss the same gradients, and the stream stays in step (the next randn agrees too)."""
    rng = np.random.default_rng(3)
    loc, scale = rng.standard_normal(batch).astype(dtype), rng.uniform(0.1, 2, batch).astype(dtype)
    runs = []
    for fw in (minigrad, torch):
        fw.manual_seed(1234)
        mu, sigma = _leaves(fw, "cpu", loc, scale)
        d = fw.distributions.Normal(mu, sigma)
        x = d.rsample(sample_shape)
        (x * x).sum().backward()
        drawn = d.sample(sample_shape)
        assert x.requires_grad and not drawn.requires_grad
        runs.append({"rsample": x, "sample": drawn, "next randn": fw.randn(2), "loc.grad": mu.grad,
                     "scale.grad": sigma.grad})
    ours, theirs = runs
    assert tuple(ours["rsample"].shape) == sample_shape + batch
    for name in ("rsample", "sample", "next randn"):
        np.testing.assert_array_equal(numpy_of(ours[name]), numpy_of(theirs[name]), err_msg=name)
    _assert_all_close({k: ours[k] for k in ("loc.grad", "scale.grad")},
                      {k: theirs[k] for k in ("loc.grad", "scale.grad")})


def test_rsample_gradient_is_the_reparameterization() -> None:
    """d(sum x)/dloc = number of samples, d(sum x)/dscale = sum of eps = sum (x - loc) / scale."""
    minigrad.manual_seed(0)
    loc = minigrad.tensor([0.5, -1.0], requires_grad=True)
    scale = minigrad.tensor([2.0, 0.25], requires_grad=True)
    x = minigrad.distributions.Normal(loc, scale).rsample((7,))
    x.sum().backward()
    eps = (x.detach() - loc.detach()) / scale.detach()
    np.testing.assert_array_equal(loc.grad.numpy(), [7.0, 7.0])
    np.testing.assert_allclose(scale.grad.numpy(), eps.sum(0).numpy(), rtol=1e-5)


# ----- Bernoulli ------------------------------------------------------------------------------------------------------
def _bernoulli_case(fw: Any, device: str, param: np.ndarray, value: np.ndarray, by: str) -> dict[str, Any]:
    (p,) = _leaves(fw, device, param)
    d = fw.distributions.Bernoulli(**{by: p})
    out = {"log_prob": d.log_prob(fw.tensor(value, device=_on(fw, device))), "entropy": d.entropy(),
           "mean": d.mean, "variance": d.variance, "probs": d.probs, "logits": d.logits,
           "enumerate_support": d.enumerate_support()}
    (out["log_prob"].sum() + 2 * out["entropy"].sum()).backward()
    out[f"{by}.grad"] = p.grad
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("by", ["probs", "logits"])
def test_bernoulli_values_and_gradients(device: str, dtype: str, by: str) -> None:
    rng = np.random.default_rng(4)
    param = rng.uniform(0.05, 0.95, (4, 3)) if by == "probs" else 3 * rng.standard_normal((4, 3))
    value = rng.integers(0, 2, (2, 4, 3)).astype(dtype)  # a sample dim in front: broadcast against the batch
    ours, theirs = (_bernoulli_case(fw, device, param.astype(dtype), value, by) for fw in (minigrad, torch))
    _assert_all_close(ours, theirs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("sample_shape", [(), (6,), (2, 5)])
def test_bernoulli_samples_match_torch_under_the_same_seed(dtype: str, sample_shape: tuple[int, ...]) -> None:
    probs = np.random.default_rng(5).uniform(0, 1, (3, 4)).astype(dtype)
    runs = []
    for fw in (minigrad, torch):
        fw.manual_seed(99)
        d = fw.distributions.Bernoulli(fw.tensor(probs))
        runs.append([d.sample(sample_shape), fw.distributions.Bernoulli(logits=fw.tensor(probs) - 0.5).sample(),
                     fw.rand(3)])
    for ours, theirs in zip(*runs, strict=True):
        assert ours.dtype == getattr(minigrad, dtype) or ours.dtype == minigrad.float32
        np.testing.assert_array_equal(numpy_of(ours), numpy_of(theirs))
    assert tuple(runs[0][0].shape) == (*sample_shape, 3, 4)


# ----- Categorical ----------------------------------------------------------------------------------------------------
def _categorical_case(fw: Any, device: str, param: np.ndarray, value: np.ndarray, by: str) -> dict[str, Any]:
    (p,) = _leaves(fw, device, param)
    d = fw.distributions.Categorical(**{by: p})
    log_prob = d.log_prob(fw.tensor(value, device=_on(fw, device)))
    advantage = fw.linspace(-1, 2, log_prob.shape[-1], device=_on(fw, device), dtype=p.dtype)
    out = {"log_prob": log_prob, "entropy": d.entropy(), "probs": d.probs, "logits": d.logits, "mode": d.mode,
           "mean": d.mean, "variance": d.variance, "enumerate_support": d.enumerate_support()}
    (-(log_prob * advantage).mean() - 0.01 * out["entropy"].sum()).backward()  # a policy-gradient loss
    out[f"{by}.grad"] = p.grad
    assert tuple(d.batch_shape) == param.shape[:-1] and tuple(d.event_shape) == ()
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("by", ["probs", "logits"])
@pytest.mark.parametrize("shape", [(5,), (4, 6)])
def test_categorical_values_and_gradients(device: str, dtype: str, by: str, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(6)
    param = rng.uniform(0.1, 2.0, shape) if by == "probs" else 3 * rng.standard_normal(shape)
    value = rng.integers(0, shape[-1], (3, *shape[:-1]))
    ours, theirs = (_categorical_case(fw, device, param.astype(dtype), value, by) for fw in (minigrad, torch))
    _assert_all_close(ours, theirs)


@pytest.mark.parametrize("dtype", DTYPES)
def test_categorical_entropy_with_a_zero_probability(device: str, dtype: str) -> None:
    """0 · log 0 counts as 0: torch clamps the logits at the dtype's lowest value; so does minigrad."""
    probs = np.array([[0.0, 0.25, 0.75], [0.5, 0.5, 0.0]], dtype)
    ours, theirs = ({"entropy": fw.distributions.Categorical(fw.tensor(probs, device=_on(fw, device))).entropy()}
                    for fw in (minigrad, torch))
    _assert_all_close(ours, theirs)


@pytest.mark.parametrize("sample_shape", [(), (7,), (2, 3)])
def test_categorical_samples_match_torch_under_the_same_seed(sample_shape: tuple[int, ...]) -> None:
    logits = np.random.default_rng(7).standard_normal((4, 5)).astype("float32")
    runs = []
    for fw in (minigrad, torch):
        fw.manual_seed(2024)
        d = fw.distributions.Categorical(logits=fw.tensor(logits))
        runs.append([d.sample(sample_shape), fw.distributions.Categorical(fw.tensor([0.2, 0.3, 0.5])).sample((9,)),
                     fw.rand(2)])
    for ours, theirs in zip(*runs, strict=True):
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        np.testing.assert_array_equal(numpy_of(ours), numpy_of(theirs))
    assert tuple(runs[0][0].shape) == (*sample_shape, 4)


# ----- Uniform --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_uniform_values_and_gradients(device: str, dtype: str) -> None:
    rng = np.random.default_rng(8)
    low = rng.standard_normal((2, 3)).astype(dtype)
    high = (low + rng.uniform(0.5, 3, (2, 3))).astype(dtype)
    value = (low + rng.uniform(0.0, 1.0, (2, 3)) * (high - low)).astype(dtype)  # inside [low, high)
    results = []
    for fw in (minigrad, torch):
        lo, hi = _leaves(fw, device, low, high)
        d = fw.distributions.Uniform(lo, hi)
        v = fw.tensor(value, device=_on(fw, device))
        out = {"log_prob": d.log_prob(v), "entropy": d.entropy(), "cdf": d.cdf(v), "icdf": d.icdf(v.sigmoid()),
               "mean": d.mean, "stddev": d.stddev, "variance": d.variance}
        sum(o.sum() for o in out.values()).backward()
        results.append(out | {"low.grad": lo.grad, "high.grad": hi.grad})
    _assert_all_close(*results)


def test_uniform_log_prob_outside_is_minus_infinity() -> None:
    results = [fw.distributions.Uniform(fw.tensor([0.0, 0.0]), fw.tensor([1.0, 1.0]), validate_args=False)
               .log_prob(fw.tensor([1.0, -0.5])) for fw in (minigrad, torch)]
    np.testing.assert_array_equal(numpy_of(results[0]), numpy_of(results[1]))
    assert np.isneginf(numpy_of(results[0])).all()


@pytest.mark.parametrize("dtype", DTYPES)
def test_uniform_rsample_matches_torch_under_the_same_seed(dtype: str) -> None:
    low, high = np.array([-1.0, 0.5, 2.0], dtype), np.array([1.0, 0.75, 5.0], dtype)
    runs = []
    for fw in (minigrad, torch):
        fw.manual_seed(5)
        lo, hi = _leaves(fw, "cpu", low, high)
        x = fw.distributions.Uniform(lo, hi).rsample((6,))
        (x**2).sum().backward()
        runs.append({"rsample": x, "low.grad": lo.grad, "high.grad": hi.grad})
    np.testing.assert_array_equal(numpy_of(runs[0]["rsample"]), numpy_of(runs[1]["rsample"]))
    _assert_all_close(*runs)


# ----- kl_divergence --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_kl_normal_normal_values_and_gradients(device: str, dtype: str) -> None:
    rng = np.random.default_rng(9)
    arrays = [rng.standard_normal((4, 2)), rng.uniform(0.2, 2, (4, 2)), rng.standard_normal(2), rng.uniform(0.5, 2, 2)]
    results = []
    for fw in (minigrad, torch):
        mu_p, sigma_p, mu_q, sigma_q = _leaves(fw, device, *(a.astype(dtype) for a in arrays))
        kl = fw.distributions.kl_divergence(fw.distributions.Normal(mu_p, sigma_p),
                                            fw.distributions.Normal(mu_q, sigma_q))
        kl.sum().backward()
        standard = fw.distributions.kl.kl_divergence(fw.distributions.Normal(mu_p, sigma_p),
                                                     fw.distributions.Normal(0.0, 1.0))
        results.append({"kl": kl, "kl to N(0, 1)": standard, "mu_p.grad": mu_p.grad, "sigma_p.grad": sigma_p.grad,
                        "mu_q.grad": mu_q.grad, "sigma_q.grad": sigma_q.grad})
    _assert_all_close(*results)


@pytest.mark.parametrize("dtype", DTYPES)
def test_kl_of_the_other_families(device: str, dtype: str) -> None:
    """Bernoulli, Categorical (zeros included: +inf where q has 0 and p not, 0 where p has 0) and Uniform."""
    rng = np.random.default_rng(10)
    probs_p = np.array([[0.0, 0.3, 0.7], [0.2, 0.2, 0.6]], dtype)
    probs_q = np.array([[0.1, 0.4, 0.5], [0.5, 0.5, 0.0]], dtype)
    logits = rng.standard_normal((2, 5)).astype(dtype)
    results = []
    for fw in (minigrad, torch):
        td, dev = fw.distributions, _on(fw, device)
        t = [fw.tensor(a, device=dev) for a in (probs_p, probs_q, logits)]
        results.append({
            "bernoulli": td.kl_divergence(td.Bernoulli(t[0]), td.Bernoulli(t[1])),
            "bernoulli logits": td.kl_divergence(td.Bernoulli(logits=t[2]), td.Bernoulli(logits=t[2].flip(-1))),
            "categorical": td.kl_divergence(td.Categorical(t[0]), td.Categorical(t[1])),
            "categorical logits": td.kl_divergence(td.Categorical(logits=t[2]), td.Categorical(logits=t[2] ** 2)),
            "uniform": td.kl_divergence(td.Uniform(t[2] - 1, t[2] + 1), td.Uniform(t[2] - 2, t[2] + 1.5)),
            "uniform outside": td.kl_divergence(td.Uniform(t[2] - 1, t[2] + 1), td.Uniform(t[2], t[2] + 3)),
            "uniform to normal": td.kl_divergence(td.Uniform(t[2] - 1, t[2] + 1), td.Normal(t[2] ** 2, t[2].exp())),
            "normal to uniform": td.kl_divergence(td.Normal(t[2], 1.0), td.Uniform(t[2] - 1, t[2] + 1)),
        })
    _assert_all_close(*results)


def test_kl_of_an_unregistered_pair_says_so() -> None:
    assert_same_error(lambda fw: fw.distributions.kl_divergence(fw.distributions.Categorical(fw.ones(3)),
                                                                fw.distributions.Normal(0.0, 1.0)))


# ----- a VAE step: reparameterized sample, Bernoulli decoder, KL to the prior -----------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_vae_step_matches_torch(dtype: str) -> None:
    rng = np.random.default_rng(11)
    x = (rng.uniform(0, 1, (4, 6)) > 0.5).astype(dtype)
    w_enc, w_dec = rng.standard_normal((6, 4)).astype(dtype) * 0.3, rng.standard_normal((2, 6)).astype(dtype) * 0.3
    runs = []
    for fw in (minigrad, torch):
        fw.manual_seed(7)
        enc, dec = _leaves(fw, "cpu", w_enc, w_dec)
        h = fw.tensor(x) @ enc
        mu, logvar = h[:, :2], h[:, 2:]
        q = fw.distributions.Normal(mu, (0.5 * logvar).exp())
        z = q.rsample()
        recon = fw.distributions.Bernoulli(logits=z @ dec).log_prob(fw.tensor(x)).sum(-1)
        kl = fw.distributions.kl_divergence(q, fw.distributions.Normal(fw.zeros_like(mu), fw.ones_like(mu))).sum(-1)
        loss = (kl - recon).mean()
        loss.backward()
        runs.append({"z": z, "loss": loss, "enc.grad": enc.grad, "dec.grad": dec.grad})
    _assert_all_close(*runs)


# ----- errors, validation, names ------------------------------------------------------------------------------------
ERRORS: dict[str, Callable[[Any], Any]] = {
    "scale-zero-number": lambda fw: fw.distributions.Normal(0.0, 0.0),
    "scale-negative-tensor": lambda fw: fw.distributions.Normal(fw.zeros(3), fw.tensor([1.0, -2.0, 3.0])),
    "loc-nan": lambda fw: fw.distributions.Normal(fw.tensor([float("nan"), 0.0]), 1.0),
    "normal-string": lambda fw: fw.distributions.Normal("a", 1.0),
    "log_prob-shape": lambda fw: fw.distributions.Normal(fw.zeros(3), fw.ones(3)).log_prob(fw.zeros(2)),
    "log_prob-list": lambda fw: fw.distributions.Normal(fw.zeros(3), fw.ones(3)).log_prob([0.0]),
    "log_prob-nan": lambda fw: fw.distributions.Normal(0.0, 1.0).log_prob(fw.tensor(float("nan"))),
    "bernoulli-both": lambda fw: fw.distributions.Bernoulli(fw.tensor([0.5]), logits=fw.zeros(1)),
    "bernoulli-neither": lambda fw: fw.distributions.Bernoulli(),
    "bernoulli-probs-above-1": lambda fw: fw.distributions.Bernoulli(probs=fw.tensor([0.2, 1.5])),
    "bernoulli-value": lambda fw: fw.distributions.Bernoulli(fw.tensor([0.2, 0.5])).log_prob(fw.tensor([0.5, 1.0])),
    "categorical-negative": lambda fw: fw.distributions.Categorical(probs=fw.tensor([0.2, -0.5, 1.0])),
    "categorical-0d": lambda fw: fw.distributions.Categorical(probs=fw.tensor(0.2)),
    "categorical-0d-logits": lambda fw: fw.distributions.Categorical(logits=fw.tensor(0.2)),
    "categorical-nan-logits": lambda fw: fw.distributions.Categorical(logits=fw.tensor([0.0, float("nan")])),
    "categorical-value": lambda fw: fw.distributions.Categorical(logits=fw.zeros(3)).log_prob(fw.tensor([3])),
    "categorical-fraction": lambda fw: fw.distributions.Categorical(logits=fw.zeros(3)).log_prob(fw.tensor([0.5])),
    "uniform-empty": lambda fw: fw.distributions.Uniform(fw.tensor([0.0, 1.0]), fw.tensor([1.0, 1.0])),
    "uniform-value": lambda fw: fw.distributions.Uniform(0.0, 1.0).log_prob(fw.tensor(2.0)),
}


@pytest.mark.parametrize("case", ERRORS)
def test_bad_arguments_raise_torchs_errors(case: str) -> None:
    assert_same_error(ERRORS[case])


def test_validate_args_false_skips_the_checks() -> None:
    for fw in (minigrad, torch):
        d = fw.distributions.Normal(fw.tensor([0.0]), fw.tensor([-1.0]), validate_args=False)
        assert np.isnan(numpy_of(d.log_prob(fw.tensor([0.0])))).all()
    try:
        for fw in (minigrad, torch):
            fw.distributions.Distribution.set_default_validate_args(False)
            fw.distributions.Normal(0.0, -1.0)  # no error
    finally:
        for fw in (minigrad, torch):
            fw.distributions.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError, match="constraint GreaterThan"):
        minigrad.distributions.Normal(0.0, -1.0)


def test_reprs_and_shapes_read_as_torchs() -> None:
    def reprs(fw: Any) -> list[str]:
        td = fw.distributions
        ds = [td.Normal(0.0, 1.0), td.Normal(fw.zeros(2, 3), 1.0), td.Bernoulli(logits=fw.zeros(2)),
              td.Categorical(fw.ones(4, 3)), td.Uniform(fw.zeros(2), 1.0)]
        out = [repr(d) for d in ds] + [f"{d.batch_shape} {d.event_shape}" for d in ds]
        out += [repr(td.Normal.support), repr(td.Bernoulli.support), repr(ds[3].support), repr(ds[4].support)]
        c = td.constraints
        return [*out, repr(c.real_vector), repr(c.simplex), repr(c.unit_interval), repr(c.interval(0, 2.5))]

    assert reprs(minigrad) == [r.replace("torch.", "minigrad.") for r in reprs(torch)]


def test_expand_matches_torch() -> None:
    results = []
    for fw in (minigrad, torch):
        td = fw.distributions
        ds = [td.Normal(fw.tensor([0.5]), fw.tensor([2.0])), td.Bernoulli(fw.tensor([0.25])),
              td.Categorical(logits=fw.tensor([[0.0, 1.0, -1.0]])), td.Uniform(fw.tensor([0.0]), fw.tensor([3.0]))]
        expanded = [d.expand((4, 1)) if not isinstance(d, td.Categorical) else d.expand((2, 1)) for d in ds]
        results.append([(tuple(e.batch_shape), e.entropy()) for e in expanded])
    for (shape, ours), (their_shape, theirs) in zip(*results, strict=True):
        assert shape == their_shape
        assert_close(ours, theirs)


def test_distributions_is_importable_as_torchs() -> None:
    import minigrad.distributions as distributions
    from minigrad.distributions import Normal, kl_divergence
    from minigrad.distributions.kl import register_kl

    assert minigrad.distributions is distributions and "distributions" in dir(minigrad)
    assert distributions.kl.kl_divergence is kl_divergence and callable(register_kl)
    assert isinstance(Normal(0.0, 1.0), distributions.Distribution)
    assert distributions.Normal.has_rsample and not distributions.Categorical.has_rsample
