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
#include "render.h"
#include "util.h"

enum { EXIT_CLEAN = 0, EXIT_CONTENT = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"usage: carepress <command> [options]\n"
	"\n"
	"Commands:\n"
	"  build     build the site from --source into --out\n"
	"  check     build into a temporary directory, report, write nothing\n"
	"\n"
	"Options:\n"
	"  --source DIR      content to read: site.yaml and one folder per language\n"
	"                    (default: content)\n"
	"  --templates DIR   Mustache templates and assets/ (default: templates)\n"
	"  --out DIR         output directory, replaced atomically (default: public)\n"
	"  --jobs N          worker threads (default: the number of cores)\n"
	"  --strict          treat warnings and unknown template variables as errors\n"
	"  --quiet           print only errors and warnings, no summary\n"
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

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct cli *cli)
{
	int i;
	cli->build.source_dir = "content";
	cli->build.templates_dir = "templates";
	cli->build.out_dir = "public";
	cli->build.jobs = (int)default_jobs();
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
		if (!strcmp(a, "--source"))
			target = &cli->build.source_dir;
		else if (!strcmp(a, "--out"))
			target = &cli->build.out_dir;
		else if (!strcmp(a, "--templates"))
			target = &cli->build.templates_dir;
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
		return usage_error("%s", "no command given (build or check)");
	if (strcmp(cli->command, "build") && strcmp(cli->command, "check"))
		return usage_error("unknown command '%s' (build or check)", cli->command);
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
	struct buf out = BUF_INIT;
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
	ret = build_site(&cli->build, &st, d);
	if (check)
		remove_tree(tmp);
	diags_sort(d);
	/* stderr is unbuffered: thousands of findings would be a write each. */
	setvbuf(stderr, NULL, _IOFBF, 1 << 16);
	diags_print(d, stderr);
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
	return ret || diags_failed(d) ? EXIT_CONTENT : EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct diags d = { 0 };
	int status;
	memset(&cli, 0, sizeof(cli));
	status = parse_args(argc, argv, &cli);
	if (status >= 0)
		return status;
	d.strict = cli.build.strict;
	status = run_build(&cli, &d);
	diags_release(&d);
	return status;
}
