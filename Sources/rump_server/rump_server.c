/*
 * rump_server: a rump kernel serving system calls to remote clients.
 *
 *   rump_server [-s] [-v] [-c ncpu] [-d drivespec]... [-l library]...
 *               [-m module]... [-r memlimit] url
 *
 * Boots a kernel in this process with the given libraries and modules, maps
 * host files into it, and serves it at `url` (unix://path or
 * tcp://a.b.c.d:port) to librumpclient programs until SIGTERM or SIGINT, or
 * until a client calls reboot(2).  Unless -s is given the server detaches
 * into the background once the kernel and the listening socket are up; the
 * command that started it exits 0 then, or with an error status.
 *
 * The options are the reference rump_server's:
 *   -c ncpu     RUMP_NCPU
 *   -d spec     a host file as an etfs key: key=K,hostpath=P[,size=S|host]
 *               [,offset=O][,type=blk|chr|reg]; sizes take k/m/g/t suffixes
 *   -l lib      dlopen a library before boot: a path, "librumpfs_tmpfs.so"
 *               or, as with the linker's -l, "rumpfs_tmpfs"
 *   -m module   dlopen a module (a shared object with MODULE() link sets)
 *               before boot, so the kernel starts it with the others
 *   -r limit    RUMP_MEMLIMIT
 *   -s          stay in the foreground
 *   -v          RUMP_VERBOSE=1
 */

#define _GNU_SOURCE 1

#include <sys/stat.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>
#include <rump/rumperr.h>


static const char *progname = "rump_server";

/* Set once rump_daemonize_begin() forked: the waiting parent needs a verdict. */
static int daemonizing;

/* A -d drive: a host file under an etfs key. */
struct drive {
	const char *key;
	const char *hostpath;
	int type;		/* enum rump_etfs_type */
	uint64_t offset;
	uint64_t size;		/* 0: not given */
	int size_host;		/* size=host: the host file's size now */
};

/* -d sizes larger than this are typing errors, not disks. */
#define MAX_DRIVE_BYTES	((uint64_t)1 << 60)

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: %s [-sv] [-c ncpu] [-d drivespec] [-l library] "
	    "[-m module] [-r memlimit] url\n"
	    "  url: unix://path or tcp://a.b.c.d:port\n"
	    "  drivespec: key=K,hostpath=P[,size=S|host][,offset=O]"
	    "[,type=blk|chr|reg]\n", progname);
	exit(1);
}

/*
 * Give up: say why on stderr and exit 1.  A parent waiting for a daemonized
 * child is told the error, so it exits non-zero too.
 */
static void __attribute__((noreturn))
fail(int error, const char *what, const char *detail)
{
	fprintf(stderr, "%s: %s", progname, what);
	if (detail != NULL)
		fprintf(stderr, ": %s", detail);
	fputc('\n', stderr);
	if (daemonizing)
		rump_daemonize_done(error != 0 ? error : RUMP_EINVAL);
	exit(1);
}

/* A byte count with an optional k/m/g/t suffix (powers of 1024). */
static int
parse_bytes(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s == '\0' || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return -1;
	}
	if (*end != '\0' || (shift != 0 && v > (MAX_DRIVE_BYTES >> shift)) ||
	    (v << shift) > MAX_DRIVE_BYTES)
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* Parse one -d argument (modified in place: getsubopt splits it). */
static void
parse_drive(char *spec, struct drive *d)
{
	enum { D_KEY, D_HOSTPATH, D_SIZE, D_OFFSET, D_TYPE, D_DISKLABEL };
	char *const tokens[] = {
		[D_KEY] = "key", [D_HOSTPATH] = "hostpath", [D_SIZE] = "size",
		[D_OFFSET] = "offset", [D_TYPE] = "type",
		[D_DISKLABEL] = "disklabel", NULL
	};
	char *value;
	int have_type = 0, have_offset = 0;

	memset(d, 0, sizeof(*d));
	d->type = RUMP_ETFS_BLK;	/* the reference's default */
	while (*spec != '\0') {
		int tok = getsubopt(&spec, tokens, &value);

		if (tok >= 0 && tok != D_DISKLABEL &&
		    (value == NULL || *value == '\0')) {
			fprintf(stderr, "%s: -d: %s needs a value\n",
			    progname, tokens[tok]);
			usage();
		}
		switch (tok) {
		case D_KEY:
			if (d->key != NULL) {
				fprintf(stderr, "%s: -d: key given twice\n", progname);
				usage();
			}
			d->key = value;
			break;
		case D_HOSTPATH:
			if (d->hostpath != NULL) {
				fprintf(stderr, "%s: -d: hostpath given twice\n",
				    progname);
				usage();
			}
			d->hostpath = value;
			break;
		case D_SIZE:
			if (d->size != 0 || d->size_host) {
				fprintf(stderr, "%s: -d: size given twice\n", progname);
				usage();
			}
			if (strcmp(value, "host") == 0) {
				d->size_host = 1;
			} else if (parse_bytes(value, &d->size) != 0 || d->size == 0) {
				fprintf(stderr, "%s: -d: bad size \"%s\"\n",
				    progname, value);
				usage();
			}
			break;
		case D_OFFSET:
			if (have_offset) {
				fprintf(stderr, "%s: -d: offset given twice\n",
				    progname);
				usage();
			}
			if (parse_bytes(value, &d->offset) != 0) {
				fprintf(stderr, "%s: -d: bad offset \"%s\"\n",
				    progname, value);
				usage();
			}
			have_offset = 1;
			break;
		case D_TYPE:
			if (have_type) {
				fprintf(stderr, "%s: -d: type given twice\n", progname);
				usage();
			}
			if (strcmp(value, "blk") == 0)
				d->type = RUMP_ETFS_BLK;
			else if (strcmp(value, "chr") == 0)
				d->type = RUMP_ETFS_CHR;
			else if (strcmp(value, "reg") == 0)
				d->type = RUMP_ETFS_REG;
			else {
				fprintf(stderr, "%s: -d: bad type \"%s\"\n",
				    progname, value);
				usage();
			}
			have_type = 1;
			break;
		case D_DISKLABEL:
			/* Partitions from a BSD disklabel: not supported here. */
			fprintf(stderr, "%s: -d: disklabel is not supported; "
			    "give offset and size\n", progname);
			exit(1);
		default:
			fprintf(stderr, "%s: -d: unknown token \"%s\"\n",
			    progname, value != NULL ? value : "");
			usage();
		}
	}
	if (d->size_host && have_offset) {
		fprintf(stderr, "%s: -d: size=host and offset exclude each other\n",
		    progname);
		usage();
	}
	/* A device needs a size; a regular file may follow the host file's. */
	if (d->key == NULL || d->hostpath == NULL ||
	    (d->type != RUMP_ETFS_REG && d->size == 0 && !d->size_host)) {
		fprintf(stderr, "%s: -d: incomplete drivespec (key, hostpath "
		    "and, except for type=reg, size are needed)\n", progname);
		usage();
	}
}

/*
 * Make the host file of a drive exist and be long enough, as the reference
 * does (a disk image may be created by naming it), then register it.
 */
static void
register_drive(const struct drive *d)
{
	struct stat sb;
	uint64_t size = d->size;
	int fd, error;

	/* size=host names an existing file; otherwise it may be created. */
	fd = open(d->hostpath, O_RDWR | (d->size_host ? 0 : O_CREAT), 0644);
	if (fd == -1)
		fail(errno, d->hostpath, strerror(errno));
	if (fstat(fd, &sb) == -1)
		fail(errno, d->hostpath, strerror(errno));
	if (d->size_host) {
		if (sb.st_size <= 0)
			fail(EINVAL, d->hostpath,
			    "size=host, but the host file's size is 0");
		size = (uint64_t)sb.st_size;
	}
	if (S_ISREG(sb.st_mode) && size != 0 &&
	    (uint64_t)sb.st_size < d->offset + size &&
	    ftruncate(fd, (off_t)(d->offset + size)) == -1)
		fail(errno, d->hostpath, strerror(errno));
	close(fd);

	/* A regular file without a size follows the host file as it grows. */
	if (size == 0)
		size = RUMP_ETFS_SIZE_ENDOFF;
	error = rump_pub_etfs_register_withsize(d->key, d->hostpath,
	    (enum rump_etfs_type)d->type, d->offset, size);
	if (error != 0) {
		char what[PATH_MAX + 64];

		snprintf(what, sizeof(what), "-d %s: etfs register", d->key);
		fail(error, what, rump_strerror(error));
	}
}

/*
 * dlopen the -l libraries.  One may need another that comes later on the
 * command line, so pass over the list until nothing more loads; a name that
 * does not load as given is tried as lib<name>.so, as the linker's -l would.
 */
static void
load_libraries(char **libs, int nlibs)
{
	int left = nlibs, progress = 1, i;
	char last_error[1024] = "";
	const char *last_name = NULL;

	while (left > 0 && progress) {
		progress = 0;
		for (i = 0; i < nlibs; i++) {
			char alt[PATH_MAX];
			const char *err;

			if (libs[i] == NULL)
				continue;
			if (dlopen(libs[i], RTLD_LAZY | RTLD_GLOBAL) == NULL) {
				err = dlerror();
				snprintf(last_error, sizeof(last_error), "%s",
				    err != NULL ? err : "unknown error");
				last_name = libs[i];
				if (strchr(libs[i], '/') != NULL)
					continue;
				snprintf(alt, sizeof(alt), "lib%s.so", libs[i]);
				if (dlopen(alt, RTLD_LAZY | RTLD_GLOBAL) == NULL) {
					/* The -l form's reason says more. */
					err = dlerror();
					snprintf(last_error, sizeof(last_error),
					    "%s", err != NULL ? err :
					    "unknown error");
					continue;
				}
			}
			libs[i] = NULL;
			left--;
			progress = 1;
		}
	}
	if (left > 0) {
		fprintf(stderr, "%s: cannot load -l %s: %s\n", progname,
		    last_name, last_error);
		exit(1);
	}
}

/*
 * dlopen the -m modules.  A module is a file; a bare name means one in the
 * current directory (dlopen would search the library path instead).
 */
static void
load_modules(char **mods, int nmods)
{
	int i;

	for (i = 0; i < nmods; i++) {
		char path[PATH_MAX];
		const char *name = mods[i];

		if (strchr(name, '/') == NULL) {
			snprintf(path, sizeof(path), "./%s", name);
			name = path;
		}
		if (dlopen(name, RTLD_NOW | RTLD_GLOBAL) == NULL) {
			const char *err = dlerror();

			fprintf(stderr, "%s: cannot load -m %s: %s\n", progname,
			    mods[i], err != NULL ? err : "unknown error");
			exit(1);
		}
	}
}

/* Grow an argument list by one. */
static char **
push(char **list, int *n, char *item)
{
	list = realloc(list, (size_t)(*n + 1) * sizeof(*list));
	if (list == NULL) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(1);
	}
	list[(*n)++] = item;
	return list;
}

int
main(int argc, char *argv[])
{
	char **libs = NULL, **mods = NULL;
	struct drive *drives = NULL;
	int nlibs = 0, nmods = 0, ndrives = 0;
	int foreground = 0, ch, error, i, sig;
	const char *url;
	sigset_t stopsigs;

	if (argv[0] != NULL && argv[0][0] != '\0') {
		const char *slash = strrchr(argv[0], '/');
		progname = slash != NULL ? slash + 1 : argv[0];
	}

	while ((ch = getopt(argc, argv, "c:d:l:m:r:sv")) != -1) {
		switch (ch) {
		case 'c':
			setenv("RUMP_NCPU", optarg, 1);
			break;
		case 'd':
			drives = realloc(drives,
			    (size_t)(ndrives + 1) * sizeof(*drives));
			if (drives == NULL) {
				fprintf(stderr, "%s: out of memory\n", progname);
				return 1;
			}
			parse_drive(optarg, &drives[ndrives++]);
			break;
		case 'l':
			libs = push(libs, &nlibs, optarg);
			break;
		case 'm':
			mods = push(mods, &nmods, optarg);
			break;
		case 'r':
			setenv("RUMP_MEMLIMIT", optarg, 1);
			break;
		case 's':
			foreground = 1;
			break;
		case 'v':
			setenv("RUMP_VERBOSE", "1", 1);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	url = argv[optind];
	if (*url == '\0')
		usage();

	/* Plugins must be in the process before boot walks the link sets. */
	load_libraries(libs, nlibs);
	load_modules(mods, nmods);
	free(libs);
	free(mods);

	/*
	 * The stop signals are taken with sigwait() by the main thread only:
	 * blocked here, before any kernel or server thread exists, every thread
	 * inherits the block and none of them is interrupted by them.
	 */
	sigemptyset(&stopsigs);
	sigaddset(&stopsigs, SIGTERM);
	sigaddset(&stopsigs, SIGINT);
	if ((errno = pthread_sigmask(SIG_BLOCK, &stopsigs, NULL)) != 0)
		fail(errno, "pthread_sigmask", strerror(errno));

	/*
	 * A client that vanishes must not take the server with it: writes to
	 * its socket then fail with EPIPE instead of raising SIGPIPE here.
	 */
	signal(SIGPIPE, SIG_IGN);

	/* Fork before boot: kernel threads do not survive a fork. */
	if (!foreground) {
		error = rump_daemonize_begin();
		if (error != 0)
			fail(0, "rump_daemonize_begin", rump_strerror(error));
		daemonizing = 1;
	}

	error = rump_init();
	if (error != 0)
		fail(error, "rump_init", rump_strerror(error));

	for (i = 0; i < ndrives; i++)
		register_drive(&drives[i]);
	free(drives);

	error = rump_init_server(url);
	if (error != 0) {
		char what[PATH_MAX + 64];

		snprintf(what, sizeof(what), "cannot serve %s", url);
		fail(error, what, rump_strerror(error));
	}

	if (daemonizing) {
		error = rump_daemonize_done(RUMP_DAEMONIZE_SUCCESS);
		if (error != 0)	/* the parent is gone: serve on regardless */
			fprintf(stderr, "%s: rump_daemonize_done: %s\n",
			    progname, rump_strerror(error));
	}

	/* Serve until told to stop; a client's reboot(2) ends us in the kernel. */
	do {
		error = sigwait(&stopsigs, &sig);
	} while (error == EINTR);
	if (error != 0)
		fail(error, "sigwait", strerror(error));

	/* Halting closes the clients and removes a unix socket; it does not return. */
	rump_sys_reboot(RUMP_RB_HALT, NULL);
	fail(errno, "reboot", rump_strerror(errno));
}
