/*
 * atlas_builtin.c: the atlas compiled into libtrp (the tables atlasgen writes). Kept
 * apart from atlas.c so that atlasgen itself can link the loader without them.
 */
#include <stdlib.h>

#include "atlas_impl.h"

trp_err trp_atlas_open_builtin(trp_atlas **out)
{
	trp_atlas *atlas;

	*out = NULL;
	atlas = calloc(1, sizeof *atlas);
	if (!atlas)
		return TRP_ENOMEM;
	atlas->muscles = trp__builtin_muscles;
	atlas->n = trp__builtin_n;
	*out = atlas;
	return TRP_OK;
}
