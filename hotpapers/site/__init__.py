"""Sites: day files → every page a site gets, for any host.

`plan` selects, loads and renders the days and builds the pages made from all
of them (category pages, overview, index); `pages` renders one page through the
Jinja2 `templates`; `text` escapes untrusted text for Markdown and HTML,
`embeds` sanitises posts, `stash` keeps raw HTML blocks out of Markdown,
`wording` says counts in each service's words; `page_cache` and `day_cache`
keep work between builds.
"""
