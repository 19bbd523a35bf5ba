"""Serverless Framework services: variables resolved statically (:mod:`.resolve`, syntax in
:mod:`.syntax`) and ``resources`` fragments merged as the Framework merges them
(:mod:`.service`)."""
