/*
 * hog - allocate, touch and hold memory on demand (an oomlab workload).
 *
 * Build: gcc -O2 -static -o hog hog.c
 *
 * Emits one JSON object per line on stdout; see README.md for the CLI,
 * the exit codes and the shape of every line. Each line is formatted into
 * a buffer and written with a single write(2), so lines from forked
 * children never interleave (they are far below PIPE_BUF).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_NOMEM 12 /* ENOMEM */

#define MAX_LABEL 128
#define MAX_PATH 1024
#define MAX_FORK 4096
#define IO_BUF (1u << 20)

enum touch_mode { TOUCH_NONE, TOUCH_NOW, TOUCH_LATER };

static const char *const touch_mode_name[] = {"none", "immediate", "deferred"};

static struct {
	uint64_t alloc;
	uint64_t step;
	uint64_t rate; /* bytes/s, 0 = unlimited */
	enum touch_mode touch;
	int64_t touch_after_ms;
	int single_block;
	int use_mmap;
	int64_t hold_ms; /* -1 = forever */
	int64_t delay_ms; /* wait before doing anything, so a harness can read the cgroup first */
	uint64_t page_cache;
	const char *file;
	int file_set;
	int map_file;
	long fork_n;
	const char *label; /* NULL = none */
} o = {
	.step = 8u << 20,
	.touch = TOUCH_NOW,
	.hold_ms = -1,
	.file = "/tmp/hogfile",
};

static long page_size;
static uint64_t t0_ns;
static int child_index = -1;            /* >= 0 in a --fork child */
static volatile sig_atomic_t got_signal; /* last SIGTERM/SIGINT/SIGHUP */
static uint64_t allocated, touched;

struct chunk {
	char *p;
	size_t len;
};
static struct chunk *chunks;
static size_t nchunks;

/* ------------------------------------------------------------------ */
/* time, output                                                        */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t t_ms(void) { return (now_ns() - t0_ns) / 1000000ull; }

static void write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, b, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return; /* stdout gone: keep hogging regardless */
		}
		b += k;
		n -= (size_t)k;
	}
}

struct line {
	char b[8192];
	size_t n;
};

static void l_printf(struct line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void l_printf(struct line *l, const char *fmt, ...)
{
	size_t room = sizeof l->b - 2 - l->n; /* keep room for "}\n" */
	va_list ap;
	int k;

	if (room <= 1)
		return;
	va_start(ap, fmt);
	k = vsnprintf(l->b + l->n, room, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	if ((size_t)k >= room)
		k = (int)(room - 1);
	l->n += (size_t)k;
}

static void l_str(struct line *l, const char *key, const char *s)
{
	l_printf(l, ",\"%s\":", key);
	if (!s) {
		l_printf(l, "null");
		return;
	}
	l_printf(l, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			l_printf(l, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			l_printf(l, "\\u%04x", c);
		else
			l_printf(l, "%c", c);
	}
	l_printf(l, "\"");
}

static void l_u64(struct line *l, const char *key, uint64_t v)
{
	l_printf(l, ",\"%s\":%" PRIu64, key, v);
}

static void l_i64(struct line *l, const char *key, int64_t v)
{
	l_printf(l, ",\"%s\":%" PRId64, key, v);
}

static void l_bool(struct line *l, const char *key, int v)
{
	l_printf(l, ",\"%s\":%s", key, v ? "true" : "false");
}

/* hold_ms / touch_after_ms: -1 means "forever" / "not set" -> null */
static void l_ms_or_null(struct line *l, const char *key, int64_t v)
{
	if (v < 0)
		l_printf(l, ",\"%s\":null", key);
	else
		l_i64(l, key, v);
}

static void l_begin(struct line *l, const char *event)
{
	l->n = 0;
	l_printf(l, "{\"event\":\"%s\"", event);
	l_str(l, "label", o.label);
	l_printf(l, ",\"pid\":%ld", (long)getpid());
	if (child_index >= 0)
		l_printf(l, ",\"child\":%d", child_index);
}

static void l_end(struct line *l)
{
	l_u64(l, "t_ms", t_ms());
	l->b[l->n++] = '}';
	l->b[l->n++] = '\n';
	write_all(STDOUT_FILENO, l->b, l->n);
}

/* Resident set size from /proc/self/statm, or null if unavailable. */
static void l_rss(struct line *l)
{
	char b[128];
	unsigned long long size, res;
	ssize_t k;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		k = read(fd, b, sizeof b - 1);
		close(fd);
		if (k > 0) {
			b[k] = 0;
			if (sscanf(b, "%llu %llu", &size, &res) == 2) {
				l_u64(l, "rss", (uint64_t)res * (uint64_t)page_size);
				return;
			}
		}
	}
	l_printf(l, ",\"rss\":null");
}

static void emit_counters(const char *event)
{
	struct line l;
	l_begin(&l, event);
	l_u64(&l, "allocated", allocated);
	l_u64(&l, "touched", touched);
	l_rss(&l);
	l_end(&l);
}

/* Final line of every exit hog chooses itself. A stream with "start" but
 * no "done" means the process was killed (e.g. SIGKILL by the OOM killer). */
static int emit_done(const char *reason, int sig, int code)
{
	struct line l;
	l_begin(&l, "done");
	l_str(&l, "reason", reason);
	if (sig)
		l_i64(&l, "signal", sig);
	l_u64(&l, "allocated", allocated);
	l_u64(&l, "touched", touched);
	l_i64(&l, "exit_code", code);
	l_end(&l);
	return code;
}

static int emit_error(const char *op, const char *path, int err)
{
	struct line l;
	int code = err == ENOMEM ? EXIT_NOMEM : EXIT_FAIL;

	l_begin(&l, "error");
	l_str(&l, "op", op);
	if (path)
		l_str(&l, "file", path);
	l_i64(&l, "errno", err);
	l_str(&l, "error", strerror(err));
	l_end(&l);
	return emit_done("error", 0, code);
}

static int emit_alloc_failed(const char *method, uint64_t requested, int err)
{
	struct line l;

	l_begin(&l, "alloc-failed");
	l_str(&l, "method", method);
	l_i64(&l, "errno", err);
	l_str(&l, "error", strerror(err));
	l_u64(&l, "requested", requested);
	l_u64(&l, "allocated", allocated);
	l_u64(&l, "touched", touched);
	l_rss(&l);
	l_end(&l);
	return emit_done("alloc-failed", 0, err == ENOMEM ? EXIT_NOMEM : EXIT_FAIL);
}

static int done_by_signal(void)
{
	int sig = got_signal;
	return emit_done("signal", sig, 128 + sig);
}

/* ------------------------------------------------------------------ */
/* signals, sleeping                                                   */

static void on_term(int sig) { got_signal = sig; }
static void on_chld(int sig) { (void)sig; }

static void term_set(sigset_t *s)
{
	sigemptyset(s);
	sigaddset(s, SIGTERM);
	sigaddset(s, SIGINT);
	sigaddset(s, SIGHUP);
}

static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term; /* no SA_RESTART: interrupt sleeps */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Sleep until deadline (CLOCK_MONOTONIC ns), or forever if forever != 0.
 * Returns -1 as soon as a termination signal has been received. */
static int sleep_until(uint64_t deadline, int forever)
{
	sigset_t block, old;
	int r = 0;

	term_set(&block);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (;;) {
		struct timespec ts, *tp = NULL;
		if (got_signal) {
			r = -1;
			break;
		}
		if (!forever) {
			uint64_t now = now_ns();
			if (now >= deadline)
				break;
			ts.tv_sec = (time_t)((deadline - now) / 1000000000ull);
			ts.tv_nsec = (long)((deadline - now) % 1000000000ull);
			tp = &ts;
		}
		ppoll(NULL, 0, tp, &old); /* atomically unblocks the signals */
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

static int sleep_ms(int64_t ms)
{
	if (ms < 0)
		return sleep_until(0, 1);
	return sleep_until(now_ns() + (uint64_t)ms * 1000000ull, 0);
}

/* Rate pacing: having done `done` bytes since phase_start, wait until the
 * moment `--rate` says they should have been done. */
static int pace(uint64_t phase_start, uint64_t done)
{
	unsigned __int128 ns;

	if (o.rate == 0)
		return got_signal ? -1 : 0;
	ns = (unsigned __int128)done * 1000000000u / o.rate;
	if (ns > UINT64_MAX - phase_start)
		ns = UINT64_MAX - phase_start;
	return sleep_until(phase_start + (uint64_t)ns, 0);
}

/* ------------------------------------------------------------------ */
/* memory                                                              */

static unsigned char touch_byte = 1;

/* Write one byte into every page of [p, p+n) so every page is committed. */
static void touch_range(char *p, size_t n)
{
	volatile char *v = p;
	size_t off;

	if (n == 0)
		return;
	for (off = 0; off < n; off += (size_t)page_size)
		v[off] = (char)touch_byte++;
	v[n - 1] = (char)touch_byte++; /* last page when p is not page aligned */
}

static int alloc_chunk(size_t n, char **out)
{
	if (o.use_mmap) {
		void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return errno ? errno : ENOMEM;
		*out = p;
		return 0;
	}
	errno = 0;
	*out = malloc(n);
	if (!*out)
		return errno ? errno : ENOMEM;
	return 0;
}

/* Touch [p, p+n) in --step sized slices, one progress line per slice. */
static int touch_chunk(char *p, size_t n, uint64_t phase_start, uint64_t *phase_done)
{
	size_t off = 0;

	while (off < n) {
		size_t sl = n - off < o.step ? n - off : (size_t)o.step;
		touch_range(p + off, sl);
		off += sl;
		touched += sl;
		*phase_done += sl;
		emit_counters("progress");
		if (pace(phase_start, *phase_done) < 0)
			return -1;
	}
	return 0;
}

static void emit_start(void)
{
	struct line l;

	l_begin(&l, "start");
	l_u64(&l, "alloc", o.alloc);
	l_u64(&l, "step", o.step);
	l_u64(&l, "rate", o.rate);
	l_str(&l, "touch", touch_mode_name[o.touch]);
	l_ms_or_null(&l, "touch_after_ms", o.touch == TOUCH_LATER ? o.touch_after_ms : -1);
	l_bool(&l, "single_block", o.single_block);
	l_str(&l, "method", o.use_mmap ? "mmap" : "malloc");
	l_ms_or_null(&l, "hold_ms", o.hold_ms);
	l_u64(&l, "page_cache", o.page_cache);
	l_str(&l, "file", o.page_cache ? o.file : NULL);
	l_bool(&l, "map_file", o.map_file);
	l_i64(&l, "fork", o.fork_n);
	l_i64(&l, "page_size", page_size);
	l_end(&l);
}

/* The allocation plan: allocate, touch, hold. Returns the exit code. */
static int run_plan(void)
{
	uint64_t remaining = o.alloc, phase_start, done = 0;
	size_t cap = o.alloc == 0 ? 0 : o.single_block ? 1 : (size_t)((o.alloc - 1) / o.step + 1);

	if (cap) {
		chunks = calloc(cap, sizeof *chunks);
		if (!chunks)
			return emit_alloc_failed("malloc", (uint64_t)cap * sizeof *chunks, ENOMEM);
	}

	/* Phase 1: allocate (and touch right away unless deferred/none). */
	phase_start = now_ns();
	while (remaining > 0) {
		size_t n = o.single_block || remaining < o.step ? (size_t)remaining : (size_t)o.step;
		char *p;
		int err;

		if (got_signal)
			return done_by_signal();
		err = alloc_chunk(n, &p);
		if (err)
			return emit_alloc_failed(o.use_mmap ? "mmap" : "malloc", n, err);
		chunks[nchunks].p = p;
		chunks[nchunks].len = n;
		nchunks++;
		allocated += n;
		remaining -= n;
		if (o.touch == TOUCH_NOW) {
			if (touch_chunk(p, n, phase_start, &done) < 0)
				return done_by_signal();
		} else {
			emit_counters("progress");
			done += n;
			/* deferred mode allocates everything at once; only the
			 * touch phase is paced */
			if (o.touch == TOUCH_NONE && pace(phase_start, done) < 0)
				return done_by_signal();
		}
	}
	emit_counters("allocated");

	/* Phase 2: lazy commit. */
	if (o.touch == TOUCH_LATER) {
		if (sleep_ms(o.touch_after_ms) < 0)
			return done_by_signal();
		phase_start = now_ns();
		done = 0;
		for (size_t i = 0; i < nchunks; i++)
			if (touch_chunk(chunks[i].p, chunks[i].len, phase_start, &done) < 0)
				return done_by_signal();
	}
	if (o.touch != TOUCH_NONE)
		emit_counters("touched");

	/* Phase 3: hold. */
	{
		struct line l;
		l_begin(&l, "holding");
		l_u64(&l, "allocated", allocated);
		l_u64(&l, "touched", touched);
		l_rss(&l);
		l_ms_or_null(&l, "hold_ms", o.hold_ms);
		l_end(&l);
	}
	if (o.hold_ms != 0 && sleep_ms(o.hold_ms) < 0)
		return done_by_signal();
	return emit_done("hold-elapsed", 0, EXIT_OK);
}

/* ------------------------------------------------------------------ */
/* page cache                                                          */

static void emit_page_cache(const char *phase, uint64_t bytes)
{
	struct line l;
	l_begin(&l, "page-cache");
	l_str(&l, "phase", phase);
	l_str(&l, "file", o.file);
	l_u64(&l, "bytes", bytes);
	l_u64(&l, "total", o.page_cache);
	l_end(&l);
}

/* Returns -1 on success, else the exit code (error already reported). */
/* A write or read of the page-cache file failed for good: release, then report why we stop. */
static int page_cache_io_failed(const char *call, int e, char *buf, int fd)
{
	free(buf);
	close(fd);
	if (e == EINTR)
		return done_by_signal();
	return emit_error(call, o.file, e);
}

static int fill_page_cache(void)
{
	uint64_t size = o.page_cache, off, last = 0;
	uint64_t every = o.step < IO_BUF ? IO_BUF : o.step;
	int fd = open(o.file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return emit_error("open", o.file, errno);

	if (o.map_file) {
		char *p;
		if (fallocate(fd, 0, 0, (off_t)size) != 0) {
			if (errno != EOPNOTSUPP && errno != ENOSYS) {
				int e = errno;
				close(fd);
				return emit_error("fallocate", o.file, e);
			}
			if (ftruncate(fd, (off_t)size) != 0) {
				int e = errno;
				close(fd);
				return emit_error("ftruncate", o.file, e);
			}
		}
		p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			int e = errno;
			close(fd);
			return emit_error("mmap", o.file, e);
		}
		close(fd); /* the mapping stays until exit */
		for (off = 0; off < size;) {
			uint64_t n = size - off < every ? size - off : every;
			if (got_signal)
				return done_by_signal();
			touch_range(p + off, (size_t)n);
			off += n;
			emit_page_cache("map", off);
		}
	} else {
		char *buf = malloc(IO_BUF);
		if (!buf) {
			close(fd);
			return emit_alloc_failed("malloc", IO_BUF, ENOMEM);
		}
		for (size_t i = 0; i < IO_BUF; i++)
			buf[i] = (char)(i * 131 + 7);
		for (off = 0; off < size;) {
			size_t n = size - off < IO_BUF ? (size_t)(size - off) : IO_BUF;
			ssize_t k = write(fd, buf, n);
			if (k < 0) {
				if (errno == EINTR && !got_signal)
					continue;
				return page_cache_io_failed("write", errno, buf, fd);
			}
			off += (uint64_t)k;
			if (off - last >= every || off == size) {
				emit_page_cache("write", off);
				last = off;
			}
			if (got_signal) {
				free(buf);
				close(fd);
				return done_by_signal();
			}
		}
		if (lseek(fd, 0, SEEK_SET) != 0) {
			int e = errno;
			free(buf);
			close(fd);
			return emit_error("lseek", o.file, e);
		}
		for (off = 0, last = 0; off < size;) {
			ssize_t k = read(fd, buf, IO_BUF);
			if (k < 0) {
				if (errno == EINTR && !got_signal)
					continue;
				return page_cache_io_failed("read", errno, buf, fd);
			}
			if (k == 0)
				break;
			off += (uint64_t)k;
			if (off - last >= every || off >= size) {
				emit_page_cache("read", off);
				last = off;
			}
		}
		free(buf);
		close(fd);
	}
	{
		struct line l;
		l_begin(&l, "page-cache-filled");
		l_str(&l, "file", o.file);
		l_str(&l, "mode", o.map_file ? "mmap" : "write+read");
		l_u64(&l, "bytes", size);
		l_rss(&l);
		l_end(&l);
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* --fork                                                              */

static int run_fork(void)
{
	pid_t *pids = calloc((size_t)o.fork_n, sizeof *pids);
	long started = 0, alive, failed = 0;
	int first_code = 0, fork_err = 0;
	sigset_t block, old;
	struct sigaction sa;

	if (!pids)
		return emit_alloc_failed("malloc", (uint64_t)o.fork_n * sizeof *pids, ENOMEM);

	for (long i = 0; i < o.fork_n; i++) {
		pid_t pid;
		if (got_signal)
			break;
		pid = fork();
		if (pid == 0) {
			child_index = (int)i;
			free(pids);
			emit_start();
			_exit(run_plan());
		}
		if (pid < 0) {
			struct line l;
			fork_err = errno;
			l_begin(&l, "fork-failed");
			l_i64(&l, "index", i);
			l_i64(&l, "errno", fork_err);
			l_str(&l, "error", strerror(fork_err));
			l_end(&l);
			for (long j = 0; j < started; j++)
				kill(pids[j], SIGTERM);
			break;
		}
		pids[started++] = pid;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	term_set(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);

	alive = started;
	if (got_signal) /* arrived while forking */
		for (long j = 0; j < started; j++)
			kill(pids[j], got_signal);
	got_signal = 0;

	while (alive > 0) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);
		if (pid > 0) {
			struct line l;
			long idx = -1;
			int code;
			for (long j = 0; j < started; j++)
				if (pids[j] == pid) {
					idx = j;
					pids[j] = 0;
				}
			if (idx < 0)
				continue; /* not ours */
			alive--;
			l_begin(&l, "child-exit");
			l_i64(&l, "index", idx);
			l_i64(&l, "child_pid", pid);
			if (WIFSIGNALED(st)) {
				code = 128 + WTERMSIG(st);
				l_str(&l, "status", "signaled");
				l_i64(&l, "signal", WTERMSIG(st));
			} else {
				code = WEXITSTATUS(st);
				l_str(&l, "status", "exited");
			}
			l_i64(&l, "code", code);
			l_end(&l);
			if (code != 0) {
				failed++;
				if (!first_code)
					first_code = code;
			}
			continue;
		}
		if (pid < 0 && errno != EINTR)
			break; /* ECHILD */
		if (got_signal) {
			for (long j = 0; j < started; j++)
				if (pids[j] > 0)
					kill(pids[j], got_signal);
			got_signal = 0;
		}
		ppoll(NULL, 0, NULL, &old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(pids);

	if (fork_err && !first_code)
		first_code = fork_err == ENOMEM ? EXIT_NOMEM : EXIT_FAIL;
	{
		struct line l;
		l_begin(&l, "done");
		l_str(&l, "reason", fork_err ? "fork-failed" : "children-exited");
		l_i64(&l, "children", started);
		l_i64(&l, "failed", failed);
		l_i64(&l, "exit_code", first_code);
		l_end(&l);
	}
	return first_code;
}

/* ------------------------------------------------------------------ */
/* command line                                                        */

static void usage(FILE *f)
{
	fprintf(f,
"usage: hog [options]\n"
"\n"
"Allocate, touch and hold memory; one JSON line per event on stdout.\n"
"\n"
"  --alloc SIZE        bytes to allocate in total (default 0)\n"
"  --step SIZE         allocation granularity, one malloc per step (default 8m)\n"
"  --rate SIZE         pace to SIZE bytes per second (default 0 = unlimited)\n"
"  --mmap              use anonymous mmap(2) instead of malloc(3)\n"
"  --single-block      allocate --alloc as one single block\n"
"  --touch             write every page right after allocating it (default)\n"
"  --no-touch          never write the memory (virtual only)\n"
"  --touch-after DUR   allocate everything untouched, wait DUR, then touch all\n"
"  --hold DUR          hold the memory for DUR, then exit 0\n"
"                      (default forever; --hold 0 exits right away)\n"
"  --page-cache SIZE   fill the page cache: write a SIZE file and read it back\n"
"  --file PATH         file for --page-cache (default /tmp/hogfile)\n"
"  --map-file          mmap the --page-cache file (MAP_SHARED) and write every\n"
"                      page instead of write+read\n"
"  --fork N            fork N children that each run the allocation plan\n"
"  --label NAME        name echoed in every JSON line\n"
"  --delay DUR         wait DUR before starting (lets a harness read the cgroup)\n"
"  --help              this text\n"
"\n"
"SIZE: bytes, or with suffix k, m, g, t (binary: 1m = 1048576); a trailing\n"
"      'b' or 'ib' is accepted (64MiB), as are fractions (1.5g).\n"
"DUR:  number with suffix ms, s, m or h (500ms, 2s); a bare number is seconds;\n"
"      --hold also accepts 'forever'.\n"
"\n"
"Exit: 0 ok; 1 other error; 2 bad usage; 12 malloc/mmap failed with ENOMEM;\n"
"      128+N after SIGTERM/SIGINT/SIGHUP; with --fork: 0 if all children\n"
"      exited 0, else the first non-zero child code (128+signal if killed).\n");
}

/*
 * Reads "123" or "1.5" at *pp: integer part into *ip, fraction as *fnum / *fden (up to 12 digits kept).
 * Advances *pp past the number; -1 when there is none or it overflows.
 */
static int parse_decimal(const char **pp, uint64_t *ip, uint64_t *fnum, uint64_t *fden)
{
	const char *p = *pp;
	int nd = 0, nf = 0;

	*ip = 0;
	*fnum = 0;
	*fden = 1;
	while (*p >= '0' && *p <= '9') {
		if (*ip > (UINT64_MAX - 9) / 10)
			return -1;
		*ip = *ip * 10 + (uint64_t)(*p++ - '0');
		nd++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (*fden < 1000000000000ull) {
				*fnum = *fnum * 10 + (uint64_t)(*p - '0');
				*fden *= 10;
			}
			p++;
			nf++;
		}
	}
	if (nd == 0 && nf == 0)
		return -1;
	*pp = p;
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	const char *p = s;
	uint64_t ip, fnum, fden, mult = 1, v;
	unsigned __int128 f;

	if (parse_decimal(&p, &ip, &fnum, &fden))
		return -1;
	switch (*p) {
	case 'k': case 'K': mult = 1ull << 10; p++; break;
	case 'm': case 'M': mult = 1ull << 20; p++; break;
	case 'g': case 'G': mult = 1ull << 30; p++; break;
	case 't': case 'T': mult = 1ull << 40; p++; break;
	}
	if (mult > 1 && (*p == 'i' || *p == 'I'))
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p)
		return -1;
	if (ip > UINT64_MAX / mult)
		return -1;
	v = ip * mult;
	f = (unsigned __int128)fnum * mult / fden;
	if (f > UINT64_MAX - v)
		return -1;
	*out = v + (uint64_t)f;
	return 0;
}

/* Duration in milliseconds; -1 for "forever" when allow_forever. */
static int parse_duration(const char *s, int64_t *out, int allow_forever)
{
	const char *p = s;
	uint64_t ip, fnum, fden, mult_ms;
	unsigned __int128 v;

	if (allow_forever && (!strcmp(s, "forever") || !strcmp(s, "inf") ||
			      !strcmp(s, "infinity") || !strcmp(s, "-1"))) {
		*out = -1;
		return 0;
	}
	if (parse_decimal(&p, &ip, &fnum, &fden))
		return -1;
	if (!strcmp(p, "ms"))
		mult_ms = 1;
	else if (!strcmp(p, "s") || !*p)
		mult_ms = 1000;
	else if (!strcmp(p, "m") || !strcmp(p, "min"))
		mult_ms = 60000;
	else if (!strcmp(p, "h"))
		mult_ms = 3600000;
	else
		return -1;
	v = (unsigned __int128)ip * mult_ms + (unsigned __int128)fnum * mult_ms / fden;
	if (v > (unsigned __int128)(INT64_MAX / 1000000)) /* keep ns math in range */
		return -1;
	*out = (int64_t)v;
	return 0;
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "hog: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'hog --help'.\n");
	return EXIT_USAGE;
}

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv)
{
	static const char *const flags[] = {"help", "touch", "no-touch", "single-block",
					    "mmap", "map-file", NULL};
	static const char *const valued[] = {"alloc", "step", "rate", "touch-after", "hold", "delay",
					     "page-cache", "file", "fork", "label", NULL};
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char name[32];
		size_t len;
		int is_flag = 0, is_valued = 0;

		if (!strcmp(a, "-h")) {
			usage(stdout);
			return EXIT_OK;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == 0)
			return bad("unexpected argument '%s'", a);
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (len >= sizeof name)
			return bad("unknown option '%s'", a);
		memcpy(name, a + 2, len);
		name[len] = 0;
		for (int k = 0; flags[k]; k++)
			if (!strcmp(name, flags[k]))
				is_flag = 1;
		for (int k = 0; valued[k]; k++)
			if (!strcmp(name, valued[k]))
				is_valued = 1;
		if (!is_flag && !is_valued)
			return bad("unknown option '%s'", a);
		if (is_flag && eq)
			return bad("option '%s' takes no value", a);
		if (is_valued) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return bad("option '%s' needs a value", a);
		}

		if (!strcmp(name, "help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(name, "touch")) {
			o.touch = TOUCH_NOW;
		} else if (!strcmp(name, "no-touch")) {
			o.touch = TOUCH_NONE;
		} else if (!strcmp(name, "single-block")) {
			o.single_block = 1;
		} else if (!strcmp(name, "mmap")) {
			o.use_mmap = 1;
		} else if (!strcmp(name, "map-file")) {
			o.map_file = 1;
		} else if (!strcmp(name, "alloc")) {
			if (parse_size(val, &o.alloc))
				return bad("bad size for --alloc: '%s'", val);
		} else if (!strcmp(name, "step")) {
			if (parse_size(val, &o.step) || o.step == 0)
				return bad("bad size for --step: '%s' (must be > 0)", val);
		} else if (!strcmp(name, "rate")) {
			if (parse_size(val, &o.rate))
				return bad("bad size for --rate: '%s'", val);
		} else if (!strcmp(name, "page-cache")) {
			if (parse_size(val, &o.page_cache))
				return bad("bad size for --page-cache: '%s'", val);
		} else if (!strcmp(name, "touch-after")) {
			if (parse_duration(val, &o.touch_after_ms, 0))
				return bad("bad duration for --touch-after: '%s'", val);
			o.touch = TOUCH_LATER;
		} else if (!strcmp(name, "delay")) {
			if (parse_duration(val, &o.delay_ms, 0))
				return bad("bad duration for --delay: '%s'", val);
		} else if (!strcmp(name, "hold")) {
			if (parse_duration(val, &o.hold_ms, 1))
				return bad("bad duration for --hold: '%s'", val);
		} else if (!strcmp(name, "file")) {
			if (!*val || strlen(val) > MAX_PATH)
				return bad("bad --file: '%s'", val);
			o.file = val;
			o.file_set = 1;
		} else if (!strcmp(name, "fork")) {
			char *end;
			errno = 0;
			o.fork_n = strtol(val, &end, 10);
			if (errno || end == val || *end || o.fork_n < 0 || o.fork_n > MAX_FORK)
				return bad("bad --fork: '%s' (0..4096)", val);
		} else if (!strcmp(name, "label")) {
			if (strlen(val) > MAX_LABEL)
				return bad("--label longer than 128 bytes: '%s'", val);
			o.label = val;
		}
	}
	if ((o.file_set || o.map_file) && o.page_cache == 0)
		return bad("%s needs --page-cache SIZE", o.map_file ? "--map-file" : "--file");
	if (o.alloc > (uint64_t)SIZE_MAX || o.page_cache > (uint64_t)SIZE_MAX)
		return bad("%s", "size too large for this platform");
	return -1;
}

int main(int argc, char **argv)
{
	int r;

	t0_ns = now_ns();
	page_size = sysconf(_SC_PAGESIZE);
	if (page_size <= 0)
		page_size = 4096;

	r = parse_args(argc, argv);
	if (r >= 0)
		return r;

	install_handlers();
	emit_start();
	if (o.delay_ms > 0 && sleep_ms(o.delay_ms) < 0)
		return done_by_signal();

	if (o.page_cache > 0) {
		r = fill_page_cache();
		if (r >= 0)
			return r;
	}
	if (o.fork_n > 0)
		return run_fork();
	return run_plan();
}
