"""``minigrad.utils.data``: datasets, samplers and the DataLoader, as ``torch.utils.data`` (one process).

    from minigrad.utils.data import DataLoader, TensorDataset
    loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True)
    for xb, yb in loader:  # the batches torch gives under the same seed
        ...
"""

from .collate import default_collate, default_convert
from .dataloader import DataLoader
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = [
    "BatchSampler", "ConcatDataset", "DataLoader", "Dataset", "RandomSampler", "Sampler", "SequentialSampler",
    "Subset", "TensorDataset", "default_collate", "default_convert", "random_split",
]


def __dir__() -> list[str]:  # dir() and tab completion: the names above, not the files this package is built from
    return __all__
