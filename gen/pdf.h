/* pdf.h - the PDF stage (carepress pdf): tagged PDF/UA-1 files of every
 * large-print page and of each language's brochure, made by WeasyPrint from
 * an output directory that carepress build has just written. Runs several
 * WeasyPrint processes at once and only for inputs that changed. Never
 * prints; every problem is a RULE_PDF or RULE_IO diagnostic.
 *
 * Inputs and outputs, per language L (paths relative to the output dir,
 * taken from the build's manifest):
 *   L/S/print/index.html  ->  L/S/S.pdf          a page with slug S
 *   L/print/index.html    ->  L/index.pdf        the language's home page
 *   L/brochure/index.html ->  L/brochure.pdf     every page, with cover and contents
 *
 * WeasyPrint reads a copy of each page in which root-relative URLs are made
 * absolute: links become https addresses under the site's base URL (so the
 * PDF's links work and print.css prints them in full), and stylesheets and
 * other resources become file: URLs inside the output dir (so nothing is
 * fetched from the network). A PDF is written under a temporary name and
 * renamed into place, so a reader never sees half a file. The output dir's
 * .carepress-pdf records, for each PDF, a hash of everything it was made
 * from (the page, the files it loads, the WeasyPrint options); a PDF whose
 * hash matches is left alone. A PDF recorded there whose page is gone is
 * removed. */
#ifndef CAREPRESS_PDF_H
#define CAREPRESS_PDF_H

#include <stddef.h>
#include "diag.h"

#define PDF_STATE ".carepress-pdf"

struct pdf_options {
	const char *source_dir;  /* content: site.yaml gives the languages and base URL */
	const char *out_dir;     /* an output dir written by build_site */
	int jobs;                /* WeasyPrint processes at once, >= 1 */
	const char *weasyprint;  /* the program, looked up in PATH: "weasyprint" */
};

struct pdf_stats {
	size_t pdfs;     /* PDFs the output dir should hold (pages + brochures) */
	size_t made;     /* of which made by this run */
	size_t failed;   /* of which WeasyPrint failed to make (none is left in place) */
	size_t removed;  /* PDFs of pages that no longer exist, removed */
};

/* Makes the PDFs of the site built into o->out_dir. A PDF whose WeasyPrint
 * run fails, or reports an error (or a warning, with d->strict), is not
 * written, and its previous version is removed, since it no longer matches
 * its page. Returns 0, or -1 with diagnostics in d (WeasyPrint's warnings
 * are added as RULE_PDF warnings either way). */
int pdf_build(const struct pdf_options *o, struct pdf_stats *st, struct diags *d);

#endif
