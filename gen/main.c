/* main.c - the command line: parse options, run a command, print the
 * diagnostics and decide the exit status. Nothing else prints or exits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "build.h"
#include "buf.h"
#include "diag.h"
#include "output.h"
#include "pdf.h"
#include "render.h"
#include "serve.h"
#include "util.h"

enum { EXIT_CLEAN = 0, EXIT_CONTENT = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"usage: carepress <command> [options]\n"
	"\n"
	"Commands:\n"
	"  build     build the site from --source into --out\n"
	"  check     build into a temporary directory, report, write nothing\n"
	"  pdf       build, then make tagged PDFs of the large-print pages and\n"
	"            brochures with WeasyPrint (only those whose page changed)\n"
	"  serve     preview the site at http://127.0.0.1:1313/: build into a private\n"
	"            directory, rebuild on every change, reload the open pages\n"
	"\n"
	"Options:\n"
	"  --source DIR      content to read: site.yaml and one folder per language\n"
	"                    (default: content)\n"
	"  --templates DIR   Mustache templates and assets/ (default: templates)\n"
	"  --out DIR         output directory, replaced atomically (default: public)\n"
	"  --jobs N          worker threads, and WeasyPrint processes for pdf\n"
	"                    (default: the number of cores)\n"
	"  --strict          treat warnings and unknown template variables as errors\n"
	"  --quiet           print only errors and warnings, no summary\n"
	"  --format FORMAT   check: 'text' (default) or 'json', the reviewer report\n"
	"                    (public/report/report.json) on standard output\n"
	"  --release         refuse translations that a qualified translator has not\n"
	"                    reviewed for the current version of their source\n"
	"  --port N          serve: the port (default 1313 or the next free one; 0: any)\n"
	"  --bind ADDR       serve: the address to listen on (default 127.0.0.1)\n"
	"  --open            serve: open the preview in the browser (xdg-open)\n"
	"  -h, --help        show this help\n"
	"  --version         show the version\n"
	"\n"
	"Diagnostics go to standard error as 'file:line:col: severity: message [rule]'.\n"
	"Exit status: 0 built cleanly, 1 the content has errors (nothing was written),\n"
	"2 the command line is wrong.\n";

struct cli {
	const char *command;
	struct build_options build;
	int quiet;
	int json;                   /* check --format json */
	struct serve_options serve; /* --port, --bind, --open */
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("carepress: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'carepress --help'.\n", stderr);
	return EXIT_USAGE;
}

static long default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : n;
}

/* How many findings diags_print left out because an earlier build printed
 * them (pages that did not change), and where they all are. */
static void print_earlier(const struct diags *d, const char *out_dir)
{
	size_t i, n = 0;
	for (i = 0; i < d->n; i++)
		n += d->v[i].earlier;
	if (n)
		fprintf(stderr, "carepress: %zu finding%s in pages that did not change %s not "
			"shown again; %s/report/index.html lists every finding\n", n,
			n == 1 ? "" : "s", n == 1 ? "is" : "are", out_dir);
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct cli *cli)
{
	int i;
	cli->build.source_dir = "content";
	cli->build.templates_dir = "templates";
	cli->build.out_dir = "public";
	cli->build.jobs = (int)default_jobs();
	cli->serve.port = -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **target = NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return EXIT_CLEAN;
		}
		if (!strcmp(a, "--version")) {
			printf("carepress %s\n", CAREPRESS_VERSION);
			return EXIT_CLEAN;
		}
		if (!strcmp(a, "--strict")) {
			cli->build.strict = 1;
			continue;
		}
		if (!strcmp(a, "--quiet")) {
			cli->quiet = 1;
			continue;
		}
		if (!strcmp(a, "--release")) {
			cli->build.release = 1;
			continue;
		}
		if (!strcmp(a, "--format")) {
			if (i + 1 >= argc || (strcmp(argv[i + 1], "json") && strcmp(argv[i + 1], "text")))
				return usage_error("%s", "--format takes 'text' or 'json'");
			cli->json = !strcmp(argv[++i], "json");
			continue;
		}
		if (!strcmp(a, "--open")) {
			cli->serve.open_browser = 1;
			continue;
		}
		if (!strcmp(a, "--port")) {
			char *end;
			long n;
			if (i + 1 >= argc || !*argv[i + 1])
				return usage_error("option '%s' needs a value", a);
			errno = 0;
			n = strtol(argv[++i], &end, 10);
			if (errno || *end || n < 0 || n > 65535)
				return usage_error("--port takes a number from 0 to 65535, not '%s'",
						   argv[i]);
			cli->serve.port = (int)n;
			continue;
		}
		if (!strcmp(a, "--source"))
			target = &cli->build.source_dir;
		else if (!strcmp(a, "--out"))
			target = &cli->build.out_dir;
		else if (!strcmp(a, "--templates"))
			target = &cli->build.templates_dir;
		else if (!strcmp(a, "--bind"))
			target = &cli->serve.bind;
		if (target || !strcmp(a, "--jobs")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return usage_error("option '%s' needs a value", a);
			if (target) {
				*target = argv[++i];
			} else {
				char *end;
				long n;
				errno = 0;
				n = strtol(argv[++i], &end, 10);
				if (errno || *end || n < 1 || n > 256)
					return usage_error("--jobs takes a number from 1 to 256, not '%s'",
							   argv[i]);
				cli->build.jobs = (int)n;
			}
			continue;
		}
		if (a[0] == '-')
			return usage_error("unknown option '%s'", a);
		if (cli->command)
			return usage_error("unexpected argument '%s'", a);
		cli->command = a;
	}
	if (!cli->command)
		return usage_error("%s", "no command given (build, check, pdf or serve)");
	if (strcmp(cli->command, "build") && strcmp(cli->command, "check") &&
	    strcmp(cli->command, "pdf") && strcmp(cli->command, "serve"))
		return usage_error("unknown command '%s' (build, check, pdf or serve)", cli->command);
	if (strcmp(cli->command, "serve") &&
	    (cli->serve.port >= 0 || cli->serve.bind || cli->serve.open_browser))
		return usage_error("%s", "--port, --bind and --open are options of 'serve' only");
	return -1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_build(struct cli *cli, struct diags *d)
{
	struct build_stats st;
	double start = now();
	char tmp[] = "/tmp/carepress-check-XXXXXX";
	struct buf out = BUF_INIT, json = BUF_INIT;
	int check = !strcmp(cli->command, "check"), ret;
	if (check) {
		if (!mkdtemp(tmp)) {
			fprintf(stderr, "carepress: cannot create a temporary directory: %s\n",
				strerror(errno));
			return EXIT_CONTENT;
		}
		buf_addf(&out, "%s/public", tmp);
		cli->build.out_dir = out.ptr;
	}
	if (cli->json)
		cli->build.report_json = &json;
	ret = build_site(&cli->build, &st, d);
	/* check tells reviewers what each translation must record as its
	 * source_hash (on stdout, so it can be piped), or the whole report. */
	if (cli->json)
		fwrite(json.ptr, 1, json.len, stdout);
	for (size_t i = 0; check && !cli->json && i < st.n_source_hashes; i++)
		printf("source_hash %s\n", st.source_hashes[i]);
	fflush(stdout);
	buf_release(&json);
	if (check)
		remove_tree(tmp);
	diags_sort(d);
	/* stderr is unbuffered: thousands of findings would be a write each. */
	setvbuf(stderr, NULL, _IOFBF, 1 << 16);
	diags_print(d, stderr);
	if (!cli->quiet)
		print_earlier(d, cli->build.out_dir);
	if (!ret && !cli->quiet) {
		if (check)
			fprintf(stderr, "carepress: checked %zu pages in %zu languages: no errors "
				"(%d warnings) in %.2f s\n", st.pages, st.languages, d->warnings,
				now() - start);
		else if (st.unchanged)
			fprintf(stderr, "carepress: nothing changed: %zu pages in %zu languages are "
				"up to date in %.2f s\n", st.pages, st.languages, now() - start);
		else
			fprintf(stderr, "carepress: built %zu pages in %zu languages: %zu files "
				"written (%zu changed) in %.2f s\n", st.pages, st.languages, st.files,
				st.files_changed, now() - start);
	}
	if (ret && !cli->quiet)
		fprintf(stderr, "carepress: %d error%s, %d warning%s; %s\n", d->errors,
			d->errors == 1 ? "" : "s", d->warnings, d->warnings == 1 ? "" : "s",
			check ? "nothing was written" : "the output directory was not changed");
	buf_release(&out);
	build_stats_release(&st);
	return ret || diags_failed(d) ? EXIT_CONTENT : EXIT_CLEAN;
}

/* carepress pdf, after a clean build into the same --out. */
static int run_pdf(struct cli *cli, struct diags *d)
{
	struct pdf_options o = { cli->build.source_dir, cli->build.out_dir, cli->build.jobs,
				 "weasyprint" };
	struct pdf_stats st;
	double start = now();
	int ret = pdf_build(&o, &st, d);
	diags_sort(d);
	diags_print(d, stderr);
	if (!cli->quiet) {
		if (!ret && !diags_failed(d))
			fprintf(stderr, "carepress: %zu PDFs up to date (%zu made, %zu removed) in "
				"%.2f s\n", st.pdfs, st.made, st.removed, now() - start);
		else
			fprintf(stderr, "carepress: %d error%s, %d warning%s; %zu of %zu PDFs not "
				"made\n", d->errors, d->errors == 1 ? "" : "s", d->warnings,
				d->warnings == 1 ? "" : "s", st.failed, st.pdfs);
	}
	return ret || diags_failed(d) ? EXIT_CONTENT : EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct diags d = { 0 };
	int status;
	memset(&cli, 0, sizeof(cli));
	/* A build frees and reallocates the same few megabytes for every page;
	 * the allocator would hand them back to the kernel each time (brk,
	 * madvise), and every return costs a TLB flush on each core and page
	 * faults to get them again. */
	memory_keep_freed();
	status = parse_args(argc, argv, &cli);
	if (status >= 0)
		return status;
	if (!strcmp(cli.command, "serve")) {
		cli.serve.build = cli.build;
		cli.serve.quiet = cli.quiet;
		return serve_run(&cli.serve);
	}
	d.strict = cli.build.strict;
	status = run_build(&cli, &d);
	diags_release(&d);
	if (status == EXIT_CLEAN && !strcmp(cli.command, "pdf")) {
		struct diags pd = { 0 };
		pd.strict = cli.build.strict;
		status = run_pdf(&cli, &pd);
		diags_release(&pd);
	}
	return status;
}
