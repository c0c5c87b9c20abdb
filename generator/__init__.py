"""Explainer generator: curated YAML about a news story to a cross-linked MkDocs site.

The pipeline, one module a step: load -> parse (model) -> check -> link ->
render; `pipeline` runs them, `mkdocs_hook` plugs them into MkDocs and `cli`
is the `explainer` command.
"""
