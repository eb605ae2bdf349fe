/* error.c: error codes as text, and the message helper every module uses. */
#include <stdio.h>

#include "internal.h"

const char *trp_strerror(trp_err err)
{
	switch (err) {
	case TRP_OK: return "success";
	case TRP_ENOMEM: return "out of memory";
	case TRP_EINVAL: return "invalid input";
	case TRP_ENOTFOUND: return "not found";
	case TRP_EIO: return "input/output error";
	case TRP_EPARSE: return "malformed JSON";
	case TRP_ESCHEMA: return "does not follow the atlas schema";
	}
	return "unknown error";
}

void trp__msg(char *msg, size_t msgsize, const char *fmt, ...)
{
	va_list ap;

	if (!msg || msgsize == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, msgsize, fmt, ap);
	va_end(ap);
}
