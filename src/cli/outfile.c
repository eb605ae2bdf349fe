/*
 * outfile.c: files that trp writes for a person (pictures, the report's PDF, exports),
 * written whole or not at all, and never through something planted in their way.
 *
 * The bytes go to a new file made with mkstemp (O_CREAT | O_EXCL, so never through a
 * link) in the target's own folder, are flushed to the disk, and the file is then
 * renamed over the target. A target that exists and is not a regular file (a folder, a
 * device such as /dev/full, a symbolic link) is refused, never replaced. The file is
 * readable by its owner only: what trp writes is health data.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The folder part of path into dir ("." when there is none). */
static int folder_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t len;

	if (!slash) {
		snprintf(dir, size, ".");
		return 0;
	}
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= size)
		return -1;
	memcpy(dir, path, len);
	dir[len] = '\0';
	return 0;
}

int outfile_open(struct outfile *o, const char *cmd, const char *path)
{
	const char *base = strrchr(path, '/');
	struct stat st;
	int n;

	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->path = path;
	o->cmd = cmd;
	base = base ? base + 1 : path;
	if (!*base)
		return cli_error(EXIT_USAGE, "%s: '%s' names a folder, not a file", cmd, path);
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return cli_error(EXIT_FAILED, "%s: %s cannot be written: it exists and is not a regular "
				 "file (a %s); give another name", cmd, path,
				 S_ISDIR(st.st_mode) ? "folder" : S_ISLNK(st.st_mode) ? "symbolic link"
				 : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "device" : "special file");
	if (folder_of(path, o->dir, sizeof o->dir) != 0)
		return cli_error(EXIT_FAILED, "%s: the path '%.64s...' is too long", cmd, path);
	n = snprintf(o->tmp, sizeof o->tmp, "%s/.%s.XXXXXX", o->dir, base);
	if (n < 0 || (size_t)n >= sizeof o->tmp)
		return cli_error(EXIT_FAILED, "%s: the path '%.64s...' is too long", cmd, path);
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0)
		return cli_error(EXIT_FAILED, "%s: %s cannot be written: %s", cmd, path, strerror(errno));
	o->f = fdopen(o->fd, "wb");
	if (!o->f) {
		int e = errno;

		close(o->fd);
		unlink(o->tmp);
		return cli_error(EXIT_FAILED, "%s: %s cannot be written: %s", cmd, path, strerror(e));
	}
	return EXIT_DONE;
}

void outfile_abort(struct outfile *o)
{
	if (!o->f)
		return;
	fclose(o->f);
	unlink(o->tmp);
	o->f = NULL;
}

int outfile_commit(struct outfile *o)
{
	struct stat st;
	int e = 0, dirfd;

	if (!o->f)
		return EXIT_FAILED;
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
		e = errno ? errno : EIO;
	if (fclose(o->f) != 0 && !e)
		e = errno;
	o->f = NULL;
	/* looked at again just before the rename: what was a file may have been swapped for
	 * something else meanwhile (rename replaces a link itself, never its target) */
	if (!e && lstat(o->path, &st) == 0 && !S_ISREG(st.st_mode))
		e = EEXIST;
	if (!e && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e) {
		unlink(o->tmp);
		return cli_error(EXIT_FAILED, "%s: %s cannot be written: %s", o->cmd, o->path,
				 e == EEXIST ? "it was replaced by something that is not a regular file"
				 : strerror(e));
	}
	/* the rename itself survives a crash once the folder is flushed */
	dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd >= 0) {
		(void)fsync(dirfd);
		close(dirfd);
	}
	return EXIT_DONE;
}

int outfile_write(const char *cmd, const char *path, const void *data, size_t size)
{
	struct outfile o;
	int code = outfile_open(&o, cmd, path);

	if (code)
		return code;
	if (fwrite(data, 1, size, o.f) != size) {
		int e = errno;

		outfile_abort(&o);
		return cli_error(EXIT_FAILED, "%s: %s cannot be written: %s", cmd, path, strerror(e));
	}
	return outfile_commit(&o);
}
