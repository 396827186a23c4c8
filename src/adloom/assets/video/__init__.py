"""Video ads: approved scenes -> voiceover, music, motion, captions -> platform-ready MP4s."""

from .generator import VideoGenerator, VideoSettings

__all__ = ["VideoGenerator", "VideoSettings"]
