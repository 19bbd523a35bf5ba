"""The ``ddb-guard cost`` report: typed data (:mod:`.data`), built from an enriched model
(:mod:`.build`), with recommendations (:mod:`.recommend`), pluggable KPIs
(:mod:`.extensions`) and one renderer module per format (:mod:`.render_text`,
:mod:`.render_markdown`; JSON is :meth:`.data.CostReport.as_dict`)."""
