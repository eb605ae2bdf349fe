/*
 * module.c: the heavy faces of trp, loaded only by the commands that use them.
 *
 * The HTTP server (libmicrohttpd and its TLS stack) and the renderer (cairo, fontconfig,
 * freetype) each pull in a long chain of shared libraries. Linked into the binary, that
 * chain is loaded by every command and more than triples a cold `trp log` or `trp find`.
 * So they are built as modules beside the binary (trp-serve.so, trp-render.so) and
 * opened here on first use; the binary exports libtrp's symbols for them.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The directory of the running binary, with a trailing '/'. */
static int exe_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	slash[1] = '\0';
	return 0;
}

void *cli_module_symbol(const char *module, const char *symbol, char *msg, size_t msgsize)
{
	static struct { const char *name; void *handle; } opened[4];
	char path[PATH_MAX + 64];
	void *handle = NULL, *sym = NULL;
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < sizeof opened / sizeof opened[0] && opened[i].name; i++)
		if (strcmp(opened[i].name, module) == 0)
			handle = opened[i].handle;
	if (!handle) {
		if (exe_dir(path, PATH_MAX) != 0) {
			snprintf(msg, msgsize, "cannot find the directory of the trp binary to load %s", module);
			goto done;
		}
		strcat(path, module);
		handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!handle) {
			snprintf(msg, msgsize, "cannot load %s (it is built beside the trp binary): %s",
				 module, dlerror());
			goto done;
		}
		if (i < sizeof opened / sizeof opened[0]) {
			opened[i].name = module;
			opened[i].handle = handle;
		}
	}
	sym = dlsym(handle, symbol);
	if (!sym)
		snprintf(msg, msgsize, "%s has no %s: %s", module, symbol, dlerror());
done:
	pthread_mutex_unlock(&lock);
	return sym;
}
