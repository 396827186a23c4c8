"""Display banners (issue 5): :class:`BannerGenerator`."""

from adloom.assets.banner.generator import BannerGenerator

__all__ = ["BannerGenerator"]
