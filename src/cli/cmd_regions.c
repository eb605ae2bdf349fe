/*
 * cmd_regions.c: `trp regions` lists the body-region vocabulary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char help[] =
	"usage: trp regions [--json]\n"
	"\n"
	"Lists the 78 body regions that pain maps and referral patterns are written in.\n"
	"A located region adds the person's side: temple.l, neck_back.r; a pain map may\n"
	"add an intensity from 0 to 10: temple.l=7.\n"
	"View: F = on the front figure, B = on the back, FB = on both.\n"
	"\n"
	"  --json   print [{\"name\", \"view\", \"description\"}, ...]\n";

static const char *view_code(trp_view v)
{
	return v == TRP_VIEW_FRONT ? "F" : v == TRP_VIEW_BACK ? "B" : "FB";
}

int cmd_regions(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arg;
	int json = 0, c, r;


	(void)cli;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return EXIT_DONE;
		}
		if (c == 'j')
			json = 1;
		else
			return EXIT_USAGE;
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "regions: unexpected argument '%s' (see 'trp regions --help')",
				 argv[cli_optind]);
	if (json)
		return cli_print_json(trp_regions_json(1));
	printf("%-22s %-4s %s\n", "REGION", "VIEW", "WHERE");
	for (r = 0; r < trp_region_count(); r++)
		printf("%-22s %-4s %s\n", trp_region_name(r), view_code(trp_region_view(r)),
		       trp_region_description(r));
	return EXIT_DONE;
}
