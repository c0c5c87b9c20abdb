"""Explainer generator: curated YAML about a news story to a cross-linked MkDocs site.

The pipeline, one module a step: load -> parse (model) -> check -> link ->
render; `pipeline` runs them, an engine (`engines/`: MkDocs through the
`mkdocs_plugin`, or Zensical) makes the site of them, `build` finishes and
swaps it in, and `cli` is the `explainer` command.
"""
