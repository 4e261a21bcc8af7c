"""The Adam that Kiln's PyTorch references use: PyTorch's fastest on the CPU.

The fused kernel (PyTorch 2.4 and later) updates every parameter in one call; older versions fall
back to the per-parameter loop. One function, so every reference is compared with the same optimizer.
"""
import torch


def adam(parameters, **settings):
    parameters = list(parameters)
    try:
        return torch.optim.Adam(parameters, fused=True, **settings)
    except (RuntimeError, TypeError):
        return torch.optim.Adam(parameters, **settings)
