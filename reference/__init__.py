"""The seed tutorial's programs as framework-neutral descriptions, and a runner for torch or minigrad.

``minigrad.compare`` runs each description on both frameworks in lockstep; the tests compare them epoch
by epoch. (The example scripts' torch twins are the scripts themselves with the import swapped.)
"""
