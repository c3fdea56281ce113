# Featured images: an SVG, a large JPEG photo, a small transparent PNG and a broken JPEG.
SITEURL_ABSOLUTE = "https://bilder.example"
