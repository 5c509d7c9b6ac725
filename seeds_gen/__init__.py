"""ecom-synth's generator: reproducible synthetic e-commerce CSV seeds."""

__version__ = "0.1.0"
