#!/usr/bin/env python3
"""Generate the system call headers, C stubs and Swift table from syscalls.spec.

Usage: gen.py [--check]   (--check: fail if a generated file would change)

See README.md beside this file for the spec format.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SPEC = os.path.join(HERE, "syscalls.spec")
OUT_HEADER = os.path.join(ROOT, "Include/rump/rump_syscalls.h")
OUT_STUBS = os.path.join(ROOT, "Sources/CRump/rump_syscalls.c")
OUT_SWIFT = os.path.join(ROOT, "Sources/RumpKernel/Syscall/SyscallTable.generated.swift")
OUT_CLIENT = os.path.join(ROOT, "Sources/RumpClient/rumpclient_syscalls.c")

PROVIDERS = {"kern", "vfs", "net", "module"}
SUPPORT = {"full", "partial", "none"}
FLAGS = {"nofail", "errret", "pipe", "ext"}

# How a C argument type reads back from its 8-byte slot in Swift.
SCALARS = {
    "int": "Int32", "pid_t": "Int32", "lwpid_t": "Int32", "clockid_t": "Int32",
    "timer_t": "Int32", "idtype_t": "Int32", "id_t": "UInt32",
    "u_int": "UInt32", "unsigned int": "UInt32", "uid_t": "UInt32",
    "gid_t": "UInt32", "mode_t": "UInt32", "socklen_t": "UInt32",
    "size_t": "UInt", "unsigned long": "UInt", "ssize_t": "Int", "long": "Int",
    "intptr_t": "Int", "off_t": "Int64", "dev_t": "UInt64", "time_t": "Int64",
}


# Buffers whose length argument counts elements, not bytes: the element's
# size in NetBSD's amd64 layout.
COUNTED = {"struct kevent": 40}

# Argument names that must be escaped as Swift identifiers.
SWIFT_KEYWORDS = {"in", "protocol", "func", "var", "let", "class", "struct", "enum",
                  "default", "case", "where", "operator", "repeat", "extension", "return"}


class Arg:
    def __init__(self, text, where):
        text = text.strip()
        self.variadic = text.startswith("...")
        if self.variadic:
            text = text[3:].strip()
        self.pad = text == "PAD"
        if self.pad:
            self.ctype, self.name = "long", "PAD"
            return
        m = re.match(r"^(.*?)([A-Za-z_][A-Za-z0-9_]*)$", text)
        if not m or not m.group(1).strip():
            sys.exit(f"{where}: cannot read argument '{text}'")
        self.ctype = re.sub(r"\s+", " ", m.group(1).strip())
        self.ctype = re.sub(r"\s*\*", " *", self.ctype).replace("* *", "**")
        # Spelled out: strict C99 hides the BSD short names.
        self.ctype = re.sub(r"\bu_long\b", "unsigned long", self.ctype)
        self.ctype = re.sub(r"\bu_int\b", "unsigned int", self.ctype)
        self.name = m.group(2)
        if self.is_pointer:
            self.swift = ("UnsafeRawPointer?" if self.ctype.startswith("const ")
                          and self.ctype.count("*") == 1
                          else "UnsafeMutableRawPointer?")
        elif self.ctype in SCALARS:
            self.swift = SCALARS[self.ctype]
        else:
            sys.exit(f"{where}: no slot type for C type '{self.ctype}'")

    @property
    def kind(self):
        """One character for a typed handler's argument (see rump_core.h)."""
        if self.pad:
            return "_"
        if self.is_pointer:
            return "p"
        return {"Int32": "i", "UInt32": "u", "Int64": "q", "Int": "q",
                "UInt64": "Q", "UInt": "Q"}[self.swift]

    @property
    def is_pointer(self):
        return "*" in self.ctype

    def proto(self):
        return f"{self.ctype} {self.name}" if not self.is_pointer else f"{self.ctype}{self.name}"

    @property
    def is_string(self):
        return self.ctype == "const char *"

    @property
    def is_const_buffer(self):
        """`const void *` or `const struct X *`: memory the call reads."""
        return (self.ctype == "const void *"
                or re.match(r"^const struct \w+ \*$", self.ctype) is not None)


class Syscall:
    def __init__(self, fields, where):
        if len(fields) != 8:
            sys.exit(f"{where}: want 8 fields, got {len(fields)}")
        num, self.name, self.kname, self.ret, args, self.provider, self.support, flags = fields
        self.number = int(num)
        self.flags = {f.strip() for f in flags.split(",") if f.strip()}
        self.args = [Arg(a, where) for a in args.split(",")] if args.strip() else []
        if self.provider not in PROVIDERS:
            sys.exit(f"{where}: unknown provider '{self.provider}'")
        if self.support not in SUPPORT:
            sys.exit(f"{where}: unknown support level '{self.support}'")
        if self.flags - FLAGS:
            sys.exit(f"{where}: unknown flags {sorted(self.flags - FLAGS)}")
        if not 0 <= self.number < 512:
            sys.exit(f"{where}: number {self.number} outside the 512-slot table")

    @property
    def real_args(self):
        return [a for a in self.args if not a.pad]

    @property
    def impl(self):
        """The name behind `rump___sysimpl_`: the versioned one for calls NetBSD
        versioned (`__stat50` gives `stat50`), as the reference exports them, so
        that programs built against either library's headers link with both."""
        if re.match(r"^__" + re.escape(self.name) + r"\d+$", self.kname):
            return self.kname[2:]
        return self.name

    @property
    def symbol(self):
        return "rump_sys_pipe" if "pipe" in self.flags else f"rump___sysimpl_{self.impl}"

    def prototype_params(self):
        if "pipe" in self.flags:
            return ["int *fds"]
        params = [a.proto() for a in self.real_args if not a.variadic]
        if any(a.variadic for a in self.args):
            params.append("...")
        return params or ["void"]

    def copyin_hints(self):
        """What the call copies in, for the remote client's inline extension:
        (kind, slot, length slot, unit) per argument.  A string argument is
        a string; a const buffer pointer directly followed by its size_t or
        socklen_t length is that many bytes (or elements, see COUNTED)."""
        hints = []
        for i, a in enumerate(self.args):
            if a.pad:
                continue
            if a.is_string:
                hints.append(("RC_HINT_STR", i, 0, 0))
            elif (a.is_const_buffer and i + 1 < len(self.args)
                  and not self.args[i + 1].pad
                  and self.args[i + 1].ctype in ("size_t", "socklen_t")):
                base = a.ctype[len("const "):-len(" *")]
                hints.append(("RC_HINT_BUF", i, i + 1, COUNTED.get(base, 1)))
        return hints

    def c_proto_types(self):
        if "pipe" in self.flags:
            return "int *"
        fixed = [a.ctype for a in self.real_args if not a.variadic]
        if any(a.variadic for a in self.args):
            fixed.append("...")
        return ", ".join(fixed) if fixed else "void"


def read_spec():
    calls = []
    with open(SPEC) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            calls.append(Syscall([x.strip() for x in line.split("|")], f"syscalls.spec:{lineno}"))
    seen = {}
    for c in calls:
        for key in (("number", c.number), ("name", c.name)):
            if key in seen:
                sys.exit(f"syscalls.spec: duplicate {key[0]} {key[1]}")
            seen[key] = c
    return sorted(calls, key=lambda c: c.number)


BANNER = "Generated by Syscalls/gen.py from Syscalls/syscalls.spec: do not edit."


def gen_header(calls):
    out = [f"/* {BANNER} */",
           "/*",
           " * The rump_sys_* system call entry points.  Each takes NetBSD's argument",
           " * types and structure layouts and, on failure, returns -1 with errno set to",
           " * the NetBSD error number (see rumpdefs.h); a successful call sets errno to",
           " * 0, except the calls that cannot fail.  RUMP_SYS_<name> is the NetBSD",
           " * system call number, for rump_syscall().",
           " */",
           "#ifndef _RUMP_RUMP_SYSCALLS_H_",
           "#define _RUMP_RUMP_SYSCALLS_H_",
           "",
           "#include <stddef.h>",
           "#include <stdint.h>",
           "#include <sys/types.h>",
           "#include <sys/select.h>\t/* fd_set */",
           "#include <sys/socket.h>\t/* socklen_t */",
           "",
           "#ifdef __cplusplus",
           'extern "C" {',
           "#endif",
           "",
           "/* Host types the prototypes name; NetBSD layouts are expected behind them. */",
           "struct stat; struct statvfs; struct timespec; struct timeval; struct timezone;",
           "struct itimerval; struct rlimit; struct iovec; struct msghdr; struct mmsghdr;",
           "struct sockaddr; struct pollfd; struct kevent; struct sigevent;",
           "struct itimerspec; struct aiocb; struct sigaction; struct fhandle; struct quotactl_args;",
           "",
           "/*",
           " * The exported symbols are rump___sysimpl_<name>, with NetBSD's version",
           " * suffix for versioned calls (rump_sys_stat is rump___sysimpl_stat50), as in",
           " * NetBSD's librump.",
           " */",
           '#define __RUMP_SYSIMPL(name) __asm__("rump___sysimpl_" #name)',
           ""]
    for c in calls:
        out.append(f"#define RUMP_SYS_{c.name} {c.number}")
    out.append("")
    for c in calls:
        params = ", ".join(c.prototype_params())
        rename = "" if "pipe" in c.flags else f" __RUMP_SYSIMPL({c.impl})"
        out.append(f"{c.ret} rump_sys_{c.name}({params}){rename};")
    out += ["",
            "#ifdef __cplusplus",
            "}",
            "#endif",
            "",
            "#endif /* _RUMP_RUMP_SYSCALLS_H_ */",
            ""]
    return "\n".join(out)


def gen_stubs(calls, client=False):
    """The rump_sys_* stubs: librump's (calling rump_syscall()) or, with
    `client`, librumpclient's (calling rc_sysproxy() with copy-in hints)."""
    if client:
        out = [f"/* {BANNER} */",
               "/*",
               " * Remote client stubs: pack the arguments into NetBSD's struct",
               " * sys_<name>_args exactly as librump's stubs do, send the call to the",
               " * server with rc_sysproxy() and turn its error number into the",
               " * libc-style -1/errno convention.  rsys_hints lists the arguments the",
               " * call copies in (see rc_stubs.h).",
               " */",
               '#include "rc_stubs.h"',
               "",
               "#define SLOT(x) ((long)(x))",
               "#define PSLOT(x) ((long)(uintptr_t)(x))",
               "",
               "/* The library is built with hidden visibility; the stubs are its interface. */",
               "#pragma GCC visibility push(default)",
               ""]
    else:
        out = [f"/* {BANNER} */",
               "/*",
               " * Client stubs: pack the arguments into NetBSD's struct sys_<name>_args",
               " * (one 8-byte slot each, PAD slots zero), call rump_syscall() and turn",
               " * its error number into the libc-style -1/errno convention.",
               " */",
               "#include <errno.h>",
               "#include <stdarg.h>",
               "#include <stdint.h>",
               "",
               "#include <rump/rump.h>",
               "#include <rump/rump_syscalls.h>",
               "",
               "#define SLOT(x) ((long)(x))",
               "#define PSLOT(x) ((long)(uintptr_t)(x))",
               ""]

    def syscall(c, args, size):
        if not client:
            return f"rump_syscall({c.number}, {args}, {size}, rsys_retval)"
        hints = "rsys_hints, " + str(len(c.copyin_hints())) if c.copyin_hints() else "NULL, 0"
        return f"rc_sysproxy({c.number}, {args}, {size}, rsys_retval, {hints})"

    for c in calls:
        out.append(f"/* {c.number} {c.kname}; {c.provider}; support {c.support} */")
        if "pipe" in c.flags:
            out += [f"{c.ret}",
                    f"{c.symbol}(int *fds)",
                    "{",
                    "\tlong rsys_retval[2] = { 0, 0 };",
                    "\tint rsys_error;",
                    "",
                    "\t/* Checked first: a kernel pipe nobody can learn about would leak. */",
                    "\tif (fds == NULL) {",
                    "\t\terrno = 14;\t/* EFAULT */",
                    "\t\treturn -1;",
                    "\t}",
                    f"\trsys_error = {syscall(c, 'NULL', '0')};",
                    "\tif (rsys_error != 0) {",
                    "\t\terrno = rsys_error;",
                    "\t\treturn -1;",
                    "\t}",
                    "\tfds[0] = (int)rsys_retval[0];",
                    "\tfds[1] = (int)rsys_retval[1];",
                    "\treturn 0;",
                    "}",
                    ""]
            continue
        params = ", ".join(c.prototype_params())
        out += [f"{c.ret}", f"{c.symbol}({params})", "{"]
        if client and c.copyin_hints():
            table = ", ".join(f"{{ {k}, {slot}, {lslot}, {unit} }}"
                              for k, slot, lslot, unit in c.copyin_hints())
            out.append(f"\tstatic const struct rc_hint rsys_hints[] = {{ {table} }};")
        variadic = [a for a in c.args if a.variadic]
        for a in variadic:
            out.append(f"\t{a.ctype} {a.name};")
        if variadic:
            last_fixed = [a for a in c.real_args if not a.variadic][-1].name
            out += ["\tva_list rsys_ap;", ""]
            out.append(f"\tva_start(rsys_ap, {last_fixed});")
            for a in variadic:
                # default argument promotions: small integer types arrive as int
                promoted = "int" if a.ctype in ("mode_t", "int") else a.ctype
                out.append(f"\t{a.name} = ({a.ctype})va_arg(rsys_ap, {promoted});")
            out.append("\tva_end(rsys_ap);")
        if c.args:
            slots = ", ".join("0" if a.pad else (f"PSLOT({a.name})" if a.is_pointer else f"SLOT({a.name})")
                              for a in c.args)
            out.append(f"\tlong rsys_args[{len(c.args)}] = {{ {slots} }};")
            call = syscall(c, "rsys_args", "sizeof(rsys_args)")
        else:
            call = syscall(c, "NULL", "0")
        out += ["\tlong rsys_retval[2] = { 0, 0 };", f"\tint rsys_error = {call};", ""]
        if "errret" in c.flags:
            out.append("\treturn rsys_error;")
        elif "nofail" in c.flags:
            # Untouched on success, as the reference; a call that fails
            # (only before boot, or a replaced handler) still says why.
            out += ["\tif (rsys_error != 0) {",
                    "\t\terrno = rsys_error;"]
            out += ["\t\treturn;", "\t}"] if c.ret == "void" else \
                   [f"\t\treturn ({c.ret})-1;", "\t}", f"\treturn ({c.ret})rsys_retval[0];"]
        else:
            out.append("\terrno = rsys_error;")
            if c.ret != "void":
                out += ["\tif (rsys_error != 0)",
                        f"\t\treturn ({c.ret})-1;",
                        f"\treturn ({c.ret})rsys_retval[0];"]
        out += ["}", ""]
    if client:
        out += ["#pragma GCC visibility pop", ""]
    return "\n".join(out)


def gen_swift(calls):
    out = [f"// {BANNER}",
           "//",
           "// Typed views of each system call's argument slots, and the table that",
           "// binds numbers to handlers. A call whose support is not \"none\" must",
           "// have a handler `sys_<name>` in the subsystem that provides it.",
           ""]
    for c in calls:
        if not c.real_args:
            continue
        out += [f"/// Arguments of `{c.kname}` (NetBSD system call {c.number}).",
                f"struct sys_{c.name}_args {{",
                "    let base: UnsafeRawPointer",
                "    @inline(__always) init(_ base: UnsafeRawPointer) { self.base = base }"]
        for i, a in enumerate(c.args):
            if a.pad:
                continue
            out.append(f"    /// `{a.ctype} {a.name}`")
            ident = f"`{a.name}`" if a.name in SWIFT_KEYWORDS else a.name
            out.append(f"    var {ident}: {a.swift} "
                       f"{{ base.load(fromByteOffset: {8 * i}, as: {a.swift}.self) }}")
        out += ["}", ""]
    out += ["/// Every system call this library knows, by number.",
            "let syscallSpecs: [SyscallSpec] = ["]
    for c in calls:
        if c.support == "none":
            handler = "nil"
        elif c.real_args:
            handler = (f"{{ l, a, r in invoke(l, r) {{ (lwp) throws(Errno) in "
                       f"try sys_{c.name}(lwp, sys_{c.name}_args(a.unsafelyUnwrapped)) }} }}")
        else:
            handler = f"{{ l, _, r in invoke(l, r) {{ (lwp) throws(Errno) in try sys_{c.name}(lwp) }} }}"
        out.append(f"    SyscallSpec(number: {c.number}, name: \"{c.name}\", kernelName: \"{c.kname}\",")
        kinds = "".join(a.kind for a in c.args)
        out.append(f"                provider: .{c.provider}, support: .{c.support}, argSize: {8 * len(c.args)}, argKinds: \"{kinds}\",")
        out.append(f"                handler: {handler}),")
    out += ["]", ""]
    return "\n".join(out)


def main():
    check = "--check" in sys.argv[1:]
    calls = read_spec()
    outputs = {OUT_HEADER: gen_header(calls), OUT_STUBS: gen_stubs(calls), OUT_SWIFT: gen_swift(calls),
               OUT_CLIENT: gen_stubs(calls, client=True)}
    stale = []
    for path, text in outputs.items():
        old = open(path).read() if os.path.exists(path) else None
        if old == text:
            continue
        if check:
            stale.append(os.path.relpath(path, ROOT))
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
    if stale:
        sys.exit("generated files are stale (run `make generate`): " + ", ".join(stale))
    if check:
        print(f"generated files match syscalls.spec ({len(calls)} system calls)")


if __name__ == "__main__":
    main()
