"""Stage 4's settings and picture work: what differs between the e-mail, print and archive PDFs."""
