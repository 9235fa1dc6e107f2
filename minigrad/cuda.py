"""``minigrad.cuda``: there is no GPU in minigrad; these let device-agnostic programs run on the CPU."""

from collections import OrderedDict
from typing import Any

from . import amp, errors  # (amp: the older spelling, torch.cuda.amp.GradScaler and torch.cuda.amp.autocast)


def is_available() -> bool:
    """False: minigrad computes on the CPU only."""
    return False


def device_count() -> int:
    return 0


def manual_seed(seed: int) -> None:
    """No GPU generator to seed (a no-op, as in PyTorch without a GPU)."""


def manual_seed_all(seed: int) -> None:
    """No GPU generators to seed (a no-op, as in PyTorch without a GPU)."""


# What a CPU-only PyTorch answers: the memory queries 0, no-ops where there is nothing to do, its error where a GPU
# itself is asked for (``synchronize``, ``get_device_name``, ...), so timing and logging code runs as it runs there.
__all__ = ["amp", "current_device", "device_count", "empty_cache", "get_arch_list", "get_device_capability",
           "get_device_name", "get_device_properties", "get_rng_state", "get_rng_state_all", "init", "initial_seed",
           "ipc_collect", "is_available", "is_bf16_supported", "is_initialized", "manual_seed", "manual_seed_all",
           "max_memory_allocated", "max_memory_reserved", "mem_get_info", "memory_allocated", "memory_reserved",
           "memory_stats", "seed", "seed_all", "set_per_process_memory_fraction", "set_rng_state",
           "set_rng_state_all", "synchronize"]


def __dir__() -> list[str]:
    return __all__


def empty_cache() -> None:
    """Free the GPU's cached blocks: none here (a no-op)."""


def seed() -> None:
    """Seed the GPU generator randomly: none here (a no-op)."""


def seed_all() -> None:
    """Seed every GPU generator randomly: none here (a no-op)."""


def set_rng_state(new_state: Any, device: Any = "cuda") -> None:
    """Restore a GPU generator: none here (a no-op)."""


def set_rng_state_all(new_states: Any) -> None:
    """Restore every GPU generator: none here (a no-op)."""


def get_rng_state_all() -> list[Any]:
    """Every GPU generator's state: none."""
    return []


def get_arch_list() -> list[str]:
    """The GPU architectures this build was compiled for: none."""
    return []


def is_initialized() -> bool:
    return False


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


def memory_allocated(device: Any = None) -> int:
    """Bytes of GPU memory held by tensors: 0."""
    return 0


def max_memory_allocated(device: Any = None) -> int:
    return 0


def memory_reserved(device: Any = None) -> int:
    return 0


def max_memory_reserved(device: Any = None) -> int:
    return 0


def memory_stats(device: Any = None) -> OrderedDict[str, Any]:
    return OrderedDict()


def _no_gpu(name: str, doc: str) -> Any:
    def function(*args: Any, **kwargs: Any) -> Any:
        raise errors.no_cuda()

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"{doc}: PyTorch's error, as minigrad (like a CPU-only PyTorch) has no GPU."
    return function


synchronize = _no_gpu("synchronize", "Wait for the GPU's queued work")
current_device = _no_gpu("current_device", "The index of the current GPU")
get_device_name = _no_gpu("get_device_name", "A GPU's name")
get_device_properties = _no_gpu("get_device_properties", "A GPU's properties")
get_device_capability = _no_gpu("get_device_capability", "A GPU's compute capability")
mem_get_info = _no_gpu("mem_get_info", "A GPU's free and total memory")
initial_seed = _no_gpu("initial_seed", "The GPU generator's seed")
get_rng_state = _no_gpu("get_rng_state", "The GPU generator's state")
init = _no_gpu("init", "Initialize CUDA")
ipc_collect = _no_gpu("ipc_collect", "Free GPU memory shared with other processes")
set_per_process_memory_fraction = _no_gpu("set_per_process_memory_fraction", "Cap this process's GPU memory")
