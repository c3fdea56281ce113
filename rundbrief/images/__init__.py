"""Featured images: what the build knows about one (``model``) and how it makes the
resized copies (``render``): WebP or AVIF with a JPEG/PNG fallback at a few widths, a
1200×630 share image and an e-mail raster. Imports no Pelican."""
