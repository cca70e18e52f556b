"""msref: an offline, cited command-line reference on multiple sclerosis."""

__version__ = "0.1.0"
