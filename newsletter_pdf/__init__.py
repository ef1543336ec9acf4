"""newsletter-pdf: typeset a YAML newsletter issue into a checked, print-ready PDF.

The stages, in the order data flows through them:

1. ``issue``     load the YAML file and validate it against the format (schema v1)
2. ``document``  build the document model (``model``) from it, parsing Markdown bodies
3. ``layout``    turn the model into ReportLab flowables and page templates
4. ``write``     lay out and write the PDF atomically
5. ``check``     verify the written PDF with pypdf
"""

__version__ = "0.1.0"
