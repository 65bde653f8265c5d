/*
 * sp_wire.h: the sysproxy wire format, shared by the server (librump) and the
 * client library (librumpclient).  Not installed.
 *
 * Both ends speak NetBSD 7.99's rump sysproxy protocol: frames in host byte
 * order and word size, a 24-byte header, an ASCII banner after accept.  A
 * client built against the reference librumpclient must work with our server
 * and ours with the reference's rump_server, so nothing here may change shape.
 *
 * One extension exists, used only when both ends are ours (SP_EXT_*): the
 * client appends SP_EXT_TAG after the NUL of the program name in its guest or
 * exec handshake; a server that knows it answers with an 8-byte body (result
 * and SP_EXT_* flags) instead of the 4-byte result.  The reference server reads
 * the name as a C string and answers with 4 bytes, so the extension stays off.
 */
#ifndef RUMP_SP_WIRE_H
#define RUMP_SP_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* The banner the server writes after accept; at most SP_MAXBANNER bytes. */
#define SP_BANNER	"RUMPSP-0.4-NetBSD-7.99.34/amd64\n"
#define SP_MAXBANNER	96

/* Frame classes. */
enum sp_class {
	SP_REQ = 0,
	SP_RESP = 1,
	SP_ERROR = 2,
};

/* Frame types. */
enum sp_type {
	SP_HANDSHAKE = 0,
	SP_SYSCALL = 1,
	SP_COPYIN = 2,
	SP_COPYINSTR = 3,
	SP_COPYOUT = 4,
	SP_COPYOUTSTR = 5,
	SP_ANONMMAP = 6,
	SP_PREFORK = 7,
	SP_RAISE = 8,
	/* Extension (SP_EXT_INLINE): a syscall carrying its copy-in data. */
	SP_SYSCALL_INLINE = 64,
};

/* Handshake kinds (the header's 32-bit field in a HANDSHAKE request). */
enum sp_handshake {
	SP_HANDSHAKE_GUEST = 0,
	SP_HANDSHAKE_AUTH = 1,
	SP_HANDSHAKE_FORK = 2,
	SP_HANDSHAKE_EXEC = 3,
};

/* Error codes of ERROR-class frames, and the host errno a client reports. */
enum sp_error {
	SP_ERR_NONE = 0,		/* 0 */
	SP_ERR_TRYAGAIN = 1,		/* EAGAIN */
	SP_ERR_AUTH = 2,		/* EPERM */
	SP_ERR_INVALID_PREFORK = 3,	/* ESRCH */
	SP_ERR_RFORK_FAILED = 4,	/* EIO */
	SP_ERR_INEXEC = 5,		/* EBUSY */
	SP_ERR_NOMEM = 6,		/* ENOMEM */
	SP_ERR_MALFORMED_REQUEST = 7,	/* EINVAL */
};

/* The frame header.  `len` counts the header too. */
struct sp_hdr {
	uint64_t len;
	uint64_t reqno;
	uint16_t class;
	uint16_t type;
	/* syscall number, error code, handshake kind or signal number */
	uint32_t arg;
};

/* COPYIN/COPYINSTR request body; COPYOUT/COPYOUTSTR has the bytes after it. */
struct sp_copy {
	uint64_t len;
	uint64_t addr;
};

/* SYSCALL response body. */
struct sp_sysresp {
	int32_t error;		/* NetBSD errno, 0 on success */
	int32_t pad;
	int64_t retval[2];
};

/* HANDSHAKE FORK request body: the cookie PREFORK returned. */
#define SP_AUTHLEN 16
struct sp_handshake_fork {
	uint32_t auth[SP_AUTHLEN / 4];
	int32_t cancel;
};

/* The extension tag a client appends after its program name's NUL. */
#define SP_EXT_TAG	"RUMPSPX1"
#define SP_EXT_TAGLEN	8
/* Extension flags in an 8-byte handshake response. */
#define SP_EXT_INLINE	0x1u	/* SP_SYSCALL_INLINE is understood */

/*
 * SP_SYSCALL_INLINE request body: this header, `argslen` bytes of the
 * argument block, then `nsegs` segments, each an sp_inline_seg and its `len`
 * bytes padded to a multiple of 8.  The server answers copyin/copyinstr
 * requests that fall inside a segment from it, and asks the client for the
 * rest as usual.  The response is an ordinary SYSCALL response.
 */
struct sp_inline_hdr {
	uint32_t argslen;
	uint32_t nsegs;
};
struct sp_inline_seg {
	uint64_t addr;
	uint64_t len;
};
/* Most inline bytes a client sends with one call. */
#define SP_INLINE_MAX	(64 * 1024)

/* Largest frame either end accepts; anything longer is malformed. */
#define SP_MAXFRAME	((uint64_t)128 * 1024 * 1024)

#define SP_PAD8(n)	(((n) + 7) & ~(uint64_t)7)

_Static_assert(sizeof(struct sp_hdr) == 24, "sysproxy header is 24 bytes");
_Static_assert(sizeof(struct sp_copy) == 16, "copy request is 16 bytes");
_Static_assert(sizeof(struct sp_sysresp) == 24, "syscall response is 24 bytes");
_Static_assert(sizeof(struct sp_handshake_fork) == 20, "fork handshake is 20 bytes");
_Static_assert(sizeof(struct sp_inline_hdr) == 8, "inline header is 8 bytes");
_Static_assert(sizeof(struct sp_inline_seg) == 16, "inline segment is 16 bytes");

#endif /* RUMP_SP_WIRE_H */
