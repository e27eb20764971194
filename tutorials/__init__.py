"""The Qt-free lesson engine: tutorial definitions, progress and trainer groups."""
