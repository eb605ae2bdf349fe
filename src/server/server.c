/*
 * server.c: the HTTP server of `trp serve` over libmicrohttpd: one epoll event loop per
 * thread, each with its own listening socket on the shared port. Every request passes
 * the guard (guard.c) on its head; its body is gathered (capped at 64 KiB, with a
 * deadline) and answered by the routes of api.c, pictures on a pool of threads of their
 * own. The reply is queued on the handler's second call, never its first, so that
 * keep-alive connections stay open. The diary is looked over for damage at the start
 * and then daily. SIGINT and SIGTERM stop it cleanly.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/filter.h>
#include <microhttpd.h>
#include <sodium.h>

#include "clinic.h"
#include "guard.h"
#include "server.h"

#define BODY_MAX (64 * 1024)     /* a request body larger than this: 413 */
#define BODY_SECONDS 10          /* a body still arriving after this long: 408 */
#define CONNECTIONS 1000         /* open connections each event loop takes */
#define PAINTERS_MAX 4           /* threads that draw pictures */
#define PAINT_QUEUE 64           /* pictures waiting to be drawn; more: 503 */
/* Memory per connection for the request head and the reply's (libmicrohttpd's default,
 * named): a request head of up to about 15 KiB is read, a larger one gets 431. A smaller
 * pool would be cleared faster after each request, but would refuse the large cookie
 * jars browsers can send to localhost. */
#define POOL_BYTES (32 * 1024)

/* Reply buffers a worker keeps for reuse: a reply's body goes back to the thread that
 * sent it, so only that thread touches its spares and no lock is needed. */
#define SPARES 64
#define SPARE_BYTES (16 * 1024)  /* each spare's size; a reply that outgrew it is freed */

/* What each worker thread keeps: its own find result and diary connection, and spare
 * reply buffers. */
struct worker {
	trp_find_result *result;
	trp_diary *diary;
	void *pg;                    /* clinic mode: this thread's connection */
	char *spare[SPARES];
	int nspare;
	struct worker *next;
};

/* A picture to draw: the request (its strings stay where they are while its connection
 * is suspended) and, once drawn, the reply. */
struct job {
	struct request rq;
	struct reply r;
	struct MHD_Connection *c;
	atomic_int done;
	struct job *next;
};

/* The threads that draw pictures, off the event loops, at a lower priority than they. */
struct painters {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct job *head, *tail;
	size_t queued;
	int stop;
	pthread_t threads[PAINTERS_MAX];
	unsigned n;
};

struct server {
	const struct server_config *config;
	trp_finder *finder;
	pthread_mutex_t lock;        /* guards `workers` */
	struct worker *workers;
	struct guard guard;
	struct painters painters;
	atomic_int damaged;          /* set once `damage` is written */
	char damage[1024];
	dev_t dev;                   /* the diary file the server was started on */
	ino_t ino;
	int as_app;                  /* clinic mode: connected as trp_app (no SET ROLE) */
};

static _Thread_local struct worker *self;

static struct worker *worker(struct server *s)
{
	if (self)
		return self;
	self = calloc(1, sizeof *self);
	if (!self)
		return NULL;
	pthread_mutex_lock(&s->lock);
	self->next = s->workers;
	s->workers = self;
	pthread_mutex_unlock(&s->lock);
	return self;
}

trp_find_result *server_find_result(struct server *s)
{
	struct worker *w = worker(s);

	if (w && !w->result && trp_find_result_new(s->finder, &w->result))
		return NULL;
	return w ? w->result : NULL;
}

trp_diary *server_diary(struct server *s, char *msg, size_t msgsize)
{
	struct worker *w = worker(s);

	if (!w) {
		snprintf(msg, msgsize, "out of memory");
		return NULL;
	}
	if (!w->diary) {
		/* a thread opens its connection at its first request: to the file the server
		 * started on, and never to a new one made where that one was */
		struct stat st;

		if (stat(s->config->db_path, &st) != 0) {
			snprintf(msg, msgsize, "%s: the diary file is gone (deleted or moved while trp had "
				 "it open: %s); nothing was written: start trp again", s->config->db_path,
				 strerror(errno));
			return NULL;
		}
		if (st.st_dev != s->dev || st.st_ino != s->ino) {
			snprintf(msg, msgsize, "%s: the diary file was replaced by another while trp had it "
				 "open; nothing was written: start trp again", s->config->db_path);
			return NULL;
		}
		if (trp_diary_open(s->config->db_path, &w->diary, msg, msgsize))
			return NULL;
	}
	return w->diary;
}

const trp_atlas *server_atlas(const struct server *s)
{
	return s->config->atlas;
}

const trp_finder *server_finder(const struct server *s)
{
	return s->finder;
}

const struct server_config *server_config_of(const struct server *s)
{
	return s->config;
}

int server_clinic_as_app(const struct server *s)
{
	return s->as_app;
}

void *server_clinic_conn(struct server *s, char *msg, size_t msgsize)
{
	struct worker *w = worker(s);

	if (!w) {
		snprintf(msg, msgsize, "out of memory");
		return NULL;
	}
	/* a connection that broke (the database restarted, a proxy dropped it) is made anew */
	if (w->pg && !clinic_alive(w->pg)) {
		clinic_disconnect(w->pg);
		w->pg = NULL;
	}
	if (!w->pg)
		w->pg = clinic_connect(s->config->clinic, msg, msgsize);
	return w->pg;
}

trp_diary *request_diary(const struct request *rq, char *msg, size_t msgsize)
{
	if (rq->diary)
		return rq->diary;
	if (rq->server->config->clinic) {
		snprintf(msg, msgsize, "no diary for this request");
		return NULL;
	}
	return server_diary(rq->server, msg, msgsize);
}

const char *server_damage(const struct server *s)
{
	return atomic_load_explicit(&((struct server *)s)->damaged, memory_order_acquire)
	       ? s->damage : NULL;
}

char *server_reply_buffer(struct server *s, size_t *cap)
{
	struct worker *w = worker(s);
	char *buf = w && w->nspare > 0 ? w->spare[--w->nspare] : malloc(SPARE_BYTES);

	*cap = buf ? SPARE_BYTES : 0;
	return buf;
}

/* libmicrohttpd is done with a recycled reply body (of SPARE_BYTES, see struct reply):
 * keep it as a spare of the thread that sent it, which is the thread calling this. */
static void recycle(void *buf)
{
	struct worker *w = self;

	if (w && w->nspare < SPARES)
		w->spare[w->nspare++] = buf;
	else
		free(buf);
}

/* ---------------------------------------------------------------- requests */

/* Bodies up to this size need no allocation of their own; it keeps `struct pending`
 * under 1 KiB, which malloc serves from its per-thread cache. */
#define BODY_INLINE 768

struct pending {
	char *body;                 /* `small`, or a heap buffer for larger bodies */
	size_t len, cap;
	size_t max;                 /* the largest body this request's path takes */
	int answered_early;         /* a refusal went out before the body */
	struct job *job;            /* a picture being drawn for this request */
	struct timespec started;
	char small[BODY_INLINE];
};
_Static_assert(sizeof(struct pending) < 1000, "struct pending fits malloc's per-thread cache");

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, const char *method,
				  struct reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;

	if (r->fixed)
		resp = MHD_create_response_from_buffer(r->len, (void *)r->fixed, MHD_RESPMEM_PERSISTENT);
	else if (r->body && r->recycle)
		resp = MHD_create_response_from_buffer_with_free_callback(r->len, r->body, recycle);
	else
		resp = MHD_create_response_from_buffer(r->len, r->body ? r->body : (char *)"",
						       r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(r->body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->type ? r->type : "application/json");
	/* a reply to POST is not stored by caches anyway (RFC 9111, 3) */
	if (strcmp(method, "POST") != 0)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->allow[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->cookie[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->cookie);
	if (r->type && strncmp(r->type, "text/html", 9) == 0) {
		/* the page: its own files only, never inside another site's frame, and no
		 * address (with a token in it) handed on to anyone */
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; img-src 'self' data: blob:; "
					"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
					"base-uri 'none'; form-action 'self'");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	}
	ok = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

/* {"error": {"code", "message"}} with the status. */
static void error_reply(struct reply *r, int status, const char *code, const char *message)
{
	size_t size = strlen(message) * 2 + strlen(code) + 64;
	char *body = malloc(size);
	size_t n = 0, i;

	r->status = status;
	r->type = NULL;
	r->allow[0] = '\0';
	r->body = body;
	r->len = 0;
	if (!body)
		return;
	n = (size_t)snprintf(body, size, "{\"error\":{\"code\":\"%s\",\"message\":\"", code);
	for (i = 0; message[i] && n + 8 < size; i++) {
		unsigned char ch = (unsigned char)message[i];

		if (ch == '"' || ch == '\\') {
			body[n++] = '\\';
			body[n++] = (char)ch;
		} else if (ch < 0x20)
			n += (size_t)snprintf(body + n, size - n, "\\u%04x", ch);
		else
			body[n++] = (char)ch;
	}
	n += (size_t)snprintf(body + n, size - n, "\"}}");
	r->len = n;
}

/* Answers at once, on the connection's socket itself, and has the connection closed:
 * for a body that is still arriving when it is already refused (too slow, too large),
 * which libmicrohttpd would otherwise read to its end before it takes a reply. */
static enum MHD_Result refuse_mid_body(struct MHD_Connection *c, int status, const char *reason,
				       const char *code, const char *message)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	char body[256], head[512];
	int blen, hlen;

	if (!info)
		return MHD_NO;
	blen = snprintf(body, sizeof body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}", code,
			message);
	hlen = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
			"Content-Length: %d\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n",
			status, reason, blen);
	if (blen > 0 && hlen > 0 && (size_t)blen < sizeof body && (size_t)hlen < sizeof head) {
		(void)send(info->connect_fd, head, (size_t)hlen, MSG_NOSIGNAL | MSG_DONTWAIT | MSG_MORE);
		(void)send(info->connect_fd, body, (size_t)blen, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	/* MHD_NO: libmicrohttpd closes the connection */
	return MHD_NO;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct request *rq = cls;

	(void)kind;
	if (rq->nargs == REQUEST_ARGS)
		return MHD_NO;
	rq->keys[rq->nargs] = key;
	rq->values[rq->nargs++] = value ? value : "";
	return MHD_YES;
}

/* Clinic mode: what a request brings besides its path and body: the session cookie, the
 * client's address, and whether it came over TLS. Only the proxy named with --tls-proxy
 * is believed about the last two (X-Forwarded-For: its last address, the one the proxy
 * itself saw; X-Forwarded-Proto). */
static void clinic_request(struct server *s, struct MHD_Connection *c, struct request *rq)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *a = info ? info->client_addr : NULL;

	rq->session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "trp_session");
	if (a && a->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)a)->sin_addr, rq->client,
			  sizeof rq->client);
	else if (a && a->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)a)->sin6_addr, rq->client,
			  sizeof rq->client);
	if (s->config->tls_proxy && strcmp(rq->client, s->config->tls_proxy) == 0) {
		const char *fwd = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
		const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");

		if (fwd) {
			const char *last = strrchr(fwd, ',');

			last = last ? last + 1 : fwd;
			while (*last == ' ')
				last++;
			snprintf(rq->client, sizeof rq->client, "%.*s", (int)strcspn(last, " "), last);
		}
		rq->secure = proto && strcmp(proto, "https") == 0;
	}
}

/* Queues a picture for the painters; 0 when the queue is full. */
static int paint_later(struct painters *pp, struct job *job)
{
	int ok;

	pthread_mutex_lock(&pp->lock);
	ok = pp->queued < PAINT_QUEUE && !pp->stop;
	if (ok) {
		job->next = NULL;
		if (pp->tail)
			pp->tail->next = job;
		else
			pp->head = job;
		pp->tail = job;
		pp->queued++;
		pthread_cond_signal(&pp->wake);
	}
	pthread_mutex_unlock(&pp->lock);
	return ok;
}

/* The head of a request has arrived: the guard, and the 413 of a Content-Length over
 * the cap, answered before the body is read. Returns MHD_YES to read on (p set), or the
 * result of queueing the refusal. */
static enum MHD_Result on_head(struct server *s, struct MHD_Connection *c, const char *url,
			       const char *method, void **state)
{
	const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_CONTENT_LENGTH);
	struct guard_answer g;
	struct pending *p;
	struct reply r;

	p = malloc(sizeof *p);
	if (!p)
		return MHD_NO;
	p->len = 0;
	p->answered_early = 0;
	p->max = api_body_max(method, url);
	p->job = NULL;
	p->body = p->small;
	p->cap = sizeof p->small;
	p->small[0] = '\0';
	/* the coarse clock (a few ms) is enough for a limit of seconds, and cheaper */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &p->started);
	*state = p;
	memset(&r, 0, sizeof r);
	switch (guard_check(&s->guard, c, method, url, &g)) {
	case GUARD_PASS:
		break;
	case GUARD_REFUSED:
		error_reply(&r, g.status, g.code, g.message);
		p->answered_early = 1;
		return send_reply(c, method, &r);
	case GUARD_REDIRECT:
		guard_cookie(&s->guard, r.cookie, sizeof r.cookie);
		r.status = g.status;
		r.type = "text/plain; charset=utf-8";
		r.location = g.location;
		p->answered_early = 1;
		return send_reply(c, method, &r);
	}
	if (length && strtoull(length, NULL, 10) > p->max) {
		/* answered before the body (libmicrohttpd takes a reply only before the body or
		 * after all of it) */
		error_reply(&r, 413, "too_large", p->max > BODY_MAX ? "the request body is over 32 MiB"
			    : "the request body is over 64 KiB");
		p->answered_early = 1;
		return send_reply(c, method, &r);
	}
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	struct server *s = cls;
	struct pending *p = *state;
	struct request rq;
	struct reply r;

	(void)version;
	if (!p)
		return on_head(s, c, url, method, state);
	if (p->answered_early)
		return MHD_YES;
	if (*upload_size) {
		if (p->len + *upload_size > p->max)
			return refuse_mid_body(c, 413, "Content Too Large", "too_large",
					       p->max > BODY_MAX ? "the request body is over 32 MiB"
					       : "the request body is over 64 KiB");
		if (seconds_since(&p->started) > BODY_SECONDS)
			return refuse_mid_body(c, 408, "Request Timeout", "too_slow",
					       "the request body took longer than 10 s to arrive");
		if (p->len + *upload_size + 1 > p->cap) {
			size_t cap = (p->len + *upload_size + 1) * 2;
			char *b = malloc(cap > p->max + 1 ? p->max + 1 : cap);

			if (!b)
				return MHD_NO;
			memcpy(b, p->body, p->len);
			if (p->body != p->small)
				free(p->body);
			p->body = b;
			p->cap = cap > p->max + 1 ? p->max + 1 : cap;
		}
		memcpy(p->body + p->len, upload, *upload_size);
		p->len += *upload_size;
		p->body[p->len] = '\0';
		*upload_size = 0;
		return MHD_YES;
	}
	if (p->job) {
		/* back from the painters */
		struct job *job = p->job;

		if (!atomic_load_explicit(&job->done, memory_order_acquire))
			return MHD_YES;
		r = job->r;
		free(job);
		p->job = NULL;
		return send_reply(c, method, &r);
	}
	memset(&r, 0, sizeof r);
	rq.method = method;
	rq.path = url;
	rq.body = p->body;
	rq.len = p->len;
	rq.server = s;
	rq.nargs = 0;
	rq.diary = NULL;
	rq.actor = NULL;
	rq.session = NULL;
	rq.client[0] = '\0';
	rq.secure = 0;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &rq);
	if (s->config->clinic)
		clinic_request(s, c, &rq);
	if (api_slow(&rq)) {
		struct job *job = calloc(1, sizeof *job);

		if (!job)
			return MHD_NO;
		job->rq = rq;
		job->c = c;
		if (paint_later(&s->painters, job)) {
			p->job = job;
			MHD_suspend_connection(c);
			return MHD_YES;
		}
		free(job);
		error_reply(&r, 503, "busy", "too many pictures are being drawn; try again in a moment");
		return send_reply(c, method, &r);
	}
	api_handle(&rq, &r);
	return send_reply(c, method, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
			 enum MHD_RequestTerminationCode why)
{
	struct pending *p = *state;

	(void)cls;
	(void)c;
	(void)why;
	if (p) {
		if (p->body != p->small)
			free(p->body);
		/* a picture drawn for a client that left: its job is done (a connection is
		 * resumed only then), so nothing else holds it */
		if (p->job) {
			free(p->job->r.body);
			free(p->job);
		}
		free(p);
		*state = NULL;
	}
}

/* ---------------------------------------------------------------- painters */

static void *painter(void *arg)
{
	struct server *s = arg;
	struct painters *pp = &s->painters;

	/* below the event loops, so that plain requests go first while pictures are drawn */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
	pthread_mutex_lock(&pp->lock);
	for (;;) {
		struct job *job;

		while (!pp->head && !pp->stop)
			pthread_cond_wait(&pp->wake, &pp->lock);
		if (!pp->head)
			break;
		job = pp->head;
		pp->head = job->next;
		if (!pp->head)
			pp->tail = NULL;
		pp->queued--;
		pthread_mutex_unlock(&pp->lock);
		api_handle(&job->rq, &job->r);
		atomic_store_explicit(&job->done, 1, memory_order_release);
		MHD_resume_connection(job->c);
		pthread_mutex_lock(&pp->lock);
	}
	pthread_mutex_unlock(&pp->lock);
	return NULL;
}

static int painters_start(struct server *s, unsigned n)
{
	struct painters *pp = &s->painters;

	pthread_mutex_init(&pp->lock, NULL);
	pthread_cond_init(&pp->wake, NULL);
	for (pp->n = 0; pp->n < n; pp->n++)
		if (pthread_create(&pp->threads[pp->n], NULL, painter, s) != 0)
			break;
	return pp->n > 0 ? 0 : -1;
}

/* Draws what is queued, then ends the painters. */
static void painters_stop(struct painters *pp)
{
	unsigned i;

	pthread_mutex_lock(&pp->lock);
	pp->stop = 1;
	pthread_cond_broadcast(&pp->wake);
	pthread_mutex_unlock(&pp->lock);
	for (i = 0; i < pp->n; i++)
		pthread_join(pp->threads[i], NULL);
	pthread_mutex_destroy(&pp->lock);
	pthread_cond_destroy(&pp->wake);
}

const char *api_query(const struct request *rq, const char *key)
{
	size_t i;

	for (i = 0; i < rq->nargs; i++)
		if (strcmp(rq->keys[i], key) == 0)
			return rq->values[i];
	return NULL;
}

/* ---------------------------------------------------------------- listening */

/* A listening socket on addr (whose port is set), non-blocking; with reuseport it can
 * share the port with the others of this server. -1 when it cannot be had. */
static int listen_socket(const struct sockaddr_storage *addr, int reuseport)
{
	socklen_t len = addr->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						    : sizeof(struct sockaddr_in);
	int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), on = 1;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) ||
	    bind(fd, (const struct sockaddr *)addr, len) != 0 || listen(fd, SOMAXCONN) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void set_port(struct sockaddr_storage *addr, unsigned port)
{
	if (addr->ss_family == AF_INET6)
		((struct sockaddr_in6 *)addr)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)addr)->sin_port = htons((uint16_t)port);
}

static unsigned get_port(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof a;

	if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return 0;
	return ntohs(a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port
					     : ((struct sockaddr_in *)&a)->sin_port);
}

/* A new connection goes to the listening socket of the CPU its first packet was handled
 * on: socket (cpu mod n). On loopback that is the client's CPU, so a client thread's
 * connections all land on one event loop instead of being dealt out among them all, and
 * the two sides can run on one core without waking each other across cores. Where the
 * kernel refuses the filter, it deals connections out by address hash instead. */
static void steer_by_cpu(int fd, unsigned n)
{
	struct sock_filter code[] = {
		{ BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)(SKF_AD_OFF + SKF_AD_CPU) },
		{ BPF_ALU | BPF_MOD | BPF_K, 0, 0, n },
		{ BPF_RET | BPF_A, 0, 0, 0 },
	};
	struct sock_fprog prog = { (unsigned short)(sizeof code / sizeof code[0]), code };

	(void)setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof prog);
}

/* Whether addr is a loopback address (127.0.0.0/8 or ::1). */
static int loopback(const struct sockaddr_storage *addr)
{
	if (addr->ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)addr)->sin6_addr);
	return (ntohl(((const struct sockaddr_in *)addr)->sin_addr.s_addr) >> 24) == 127;
}

/* Holds host:port for this process: an abstract local socket named after it, which only
 * one process can bind and which goes when the process does. Two trp servers started at
 * the same moment on one port could otherwise both pass the probe below and share the
 * port through SO_REUSEPORT. -1 when another trp holds it. */
static int port_lock(const char *host, unsigned port)
{
	struct sockaddr_un a;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), n;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	/* abstract: a leading NUL, no file; the name need not end in one */
	n = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "trp-serve %s %u", host, port);
	if (n < 0 || (size_t)n >= sizeof a.sun_path - 1 ||
	    bind(fd, (struct sockaddr *)&a,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Opens n listening sockets on one port (SO_REUSEPORT). The port is first taken by a
 * socket without SO_REUSEPORT and let go, so that a port another program listens on is
 * refused rather than shared, and held by port_lock() against another trp. On a loopback
 * address the sockets are steered by CPU when there are no more of them than CPUs (else,
 * and off loopback, where one network queue can put every connection on one CPU, the
 * kernel deals connections out by address hash). */
static int open_listeners(const struct server_config *config, unsigned n,
			  struct sockaddr_storage *addr, int *fds, unsigned *port, int *lock)
{
	unsigned i;
	int probe;

	set_port(addr, config->port);
	probe = listen_socket(addr, 0);
	if (probe < 0)
		return -1;
	*port = get_port(probe);
	close(probe);
	if (*port == 0)
		return -1;
	*lock = port_lock(config->host, *port);
	if (*lock < 0)
		return -1;
	set_port(addr, *port);
	for (i = 0; i < n; i++) {
		fds[i] = listen_socket(addr, n > 1);
		if (fds[i] < 0) {
			while (i-- > 0)
				close(fds[i]);
			close(*lock);
			*lock = -1;
			return -1;
		}
	}
	if (n > 1 && loopback(addr) && (long)n <= sysconf(_SC_NPROCESSORS_ONLN))
		steer_by_cpu(fds[0], n);
	return 0;
}

/* ---------------------------------------------------------------- running */

/* Looks the diary over for damage (trp_diary_check) on a connection of its own. Once
 * damage is found it stays found: the server refuses writes and the report until it is
 * started again. Returns 0 when the diary is sound. */
static int check_diary(struct server *s)
{
	trp_diary *d;
	char msg[512];
	trp_err err;

	if (server_damage(s))
		return -1;
	err = trp_diary_open(s->config->db_path, &d, msg, sizeof msg);
	if (!err) {
		err = trp_diary_check(d);
		if (err)
			snprintf(msg, sizeof msg, "%s", trp_diary_errmsg(d));
		trp_diary_close(d);
	}
	if (err != TRP_EPARSE)
		return 0;   /* a check that could not run is tried again next time */
	snprintf(s->damage, sizeof s->damage, "%s", msg);
	atomic_store_explicit(&s->damaged, 1, memory_order_release);
	fprintf(stderr, "trp: %s; from now on the server refuses to write to it or to report from it\n", msg);
	return -1;
}

/* Room for every connection the loops may hold, and their files: the soft limit on open
 * files raised toward the hard one. */
static void raise_file_limit(unsigned loops)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)loops * CONNECTIONS + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
}

int server_run(const struct server_config *config, char *msg, size_t msgsize)
{
	struct sockaddr_storage addr;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
	struct server *s;
	struct MHD_Daemon **loops = NULL;
	/* TURBO: read and write before asking epoll, which mostly succeeds under load */
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
	unsigned i, n = config->threads ? config->threads : 1, port = 0, started = 0;
	unsigned idle = config->idle_seconds ? config->idle_seconds : 30;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *shown;
	sigset_t stop;
	int sig = 0, ipv6 = 0, code = 0, *fds = NULL, lock = -1, painting = 0;
	struct worker *w;

	memset(&addr, 0, sizeof addr);
	if (inet_pton(AF_INET, config->host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
	} else if (inet_pton(AF_INET6, config->host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		ipv6 = 1;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(msg, msgsize, "--host: '%.64s' is not an IP address (such as 127.0.0.1 or ::1)",
			 config->host);
		return 2;
	}
	/* the server is large (the guard's names): on the heap, not the stack */
	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(msg, msgsize, "out of memory");
		return 1;
	}
	s->config = config;
	pthread_mutex_init(&s->lock, NULL);
	if (config->clinic) {
		/* the schema brought up to date (as its owner), or checked (as trp_app) */
		if (clinic_prepare(config->clinic, &s->as_app, msg, msgsize) != 0) {
			free(s);
			return 1;
		}
	} else {
		struct stat st;

		if (stat(config->db_path, &st) != 0) {
			snprintf(msg, msgsize, "%s: %s", config->db_path, strerror(errno));
			free(s);
			return 1;
		}
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	fds = malloc(n * sizeof *fds);
	loops = calloc(n, sizeof *loops);
	if (!fds || !loops || trp_finder_new(config->atlas, &s->finder)) {
		snprintf(msg, msgsize, "out of memory");
		code = 1;
		goto done;
	}
	if (open_listeners(config, n, &addr, fds, &port, &lock) != 0) {
		snprintf(msg, msgsize, "cannot listen on %s port %u (in use, or not allowed)",
			 config->host, config->port);
		code = 1;
		goto done;
	}
	if (guard_init(&s->guard, config, port, msg, msgsize) != 0) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		code = 2;
		goto done;
	}
	raise_file_limit(n);
	/* the event loops inherit this mask; only this thread waits for the signals */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (painters_start(s, cpus > 0 && cpus < PAINTERS_MAX ? (unsigned)cpus : PAINTERS_MAX) != 0) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		snprintf(msg, msgsize, "cannot start the server's threads");
		code = 1;
		goto done;
	}
	painting = 1;

	/* one event loop (a libmicrohttpd daemon with its own thread) per listening socket */
	for (i = 0; i < n; i++) {
		loops[i] = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
					    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fds[i],
					    MHD_OPTION_CONNECTION_TIMEOUT, idle,
					    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTIONS,
					    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)POOL_BYTES,
					    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
					    MHD_OPTION_END);
		if (!loops[i]) {
			snprintf(msg, msgsize, "cannot start the server's threads");
			code = 1;
			break;
		}
		started++;
	}
	for (i = started; i < n; i++)
		close(fds[i]);
	if (code == 0) {
		/* the address to open: a wildcard is reached at the loopback address */
		shown = strcmp(config->host, "0.0.0.0") == 0 ? "127.0.0.1"
			: strcmp(config->host, "::") == 0 ? "::1" : config->host;
		ipv6 = strchr(shown, ':') != NULL;
		printf("trp: serving http://%s%s%s:%u/%s%s\n", ipv6 ? "[" : "", shown, ipv6 ? "]" : "",
		       port, s->guard.token_len ? "?token=" : "", s->guard.token);
		fflush(stdout);
		fprintf(stderr, "trp: Ctrl-C stops the server\n");
		for (;;) {
			struct timespec wait = { (time_t)(config->check_seconds ? config->check_seconds
							  : 24 * 3600), 0 };

			sig = sigtimedwait(&stop, NULL, &wait);
			if (sig == SIGINT || sig == SIGTERM)
				break;
			if (sig < 0 && errno == EAGAIN && !config->clinic)
				check_diary(s);
		}
	}
	/* pictures being drawn finish first: their connections are suspended until then */
	painters_stop(&s->painters);
	painting = 0;
	for (i = 0; i < started; i++)
		MHD_stop_daemon(loops[i]);
	if (code == 0)
		fprintf(stderr, "trp: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
done:
	if (painting)
		painters_stop(&s->painters);
	while ((w = s->workers)) {
		s->workers = w->next;
		trp_find_result_free(w->result);
		trp_diary_close(w->diary);
		if (w->pg)
			clinic_disconnect(w->pg);
		while (w->nspare > 0)
			free(w->spare[--w->nspare]);
		free(w);
	}
	trp_finder_free(s->finder);
	pthread_mutex_destroy(&s->lock);
	sodium_memzero(&s->guard, sizeof s->guard);
	free(s);
	if (lock >= 0)
		close(lock);
	free(fds);
	free(loops);
	return code;
}
