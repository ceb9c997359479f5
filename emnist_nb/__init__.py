__version__ = "0.0.1"

import warnings
# fastai 2.8 compiles a few functions with `torch.jit.script` when it is imported, which torch 2.10+ deprecates with a
# FutureWarning at every import: nothing a user of this package can act on, so it is silenced here, by its message only.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
