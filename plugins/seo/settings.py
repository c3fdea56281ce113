"""Settings of the seo plugin (defaults in one place)."""

from rundbrief.settings_check import Setting, is_bool, is_str, list_of

SPECS = [
    Setting("SEO_SITEMAP", True, is_bool, "True oder False (sitemap.xml schreiben)"),
    Setting("SEO_ROBOTS", True, is_bool, "True oder False (robots.txt schreiben)"),
    Setting(
        "SEO_ROBOTS_DISALLOW",
        ["/entwuerfe/"],
        list_of(is_str),
        "eine Liste von Pfaden, die Suchmaschinen nicht besuchen sollen",
    ),
]
