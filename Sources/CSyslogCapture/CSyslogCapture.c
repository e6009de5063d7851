/* The daemons write one logfmt line per record to stderr (journald stores them). The Swift
   runtime's libdispatch does not: it reports through syslog(3), which journald stores as a
   plain line of the unit — e.g. "Failed to set thread priority for worker thread: pqc=…
   errno=13" at every start under the hardened units, where a worker thread may not lower its
   nice value. Defining syslog() and vsyslog() here takes them over for the whole process: a
   definition in the executable comes before libc.so's in symbol lookup (libdispatch.so
   resolves to it dynamically, libdispatch.a statically with --static-swift-stdlib). Nothing
   is hidden: each message goes to the handler, which logs it through swift-log as logfmt. */
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "CSyslogCapture.h"

/* Not from <syslog.h>: with _FORTIFY_SOURCE it may turn these into inline wrappers. */
void syslog(int priority, const char *format, ...);
void vsyslog(int priority, const char *format, va_list arguments);

/* Messages logged before a handler is installed (libdispatch may report before the daemon has
   read its log level and bootstrapped logging): kept, replayed to the handler when it comes,
   or written as fallback lines at exit if none ever does. */
#define PENDING_MAX 16
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static th_syslog_handler current_handler = NULL;
static char pending[PENDING_MAX][1024];
static int pending_priority[PENDING_MAX];
static int pending_count = 0;
static int flush_registered = 0;

/* A logfmt line on stderr: level=… label=runtime msg="runtime message" text="…". */
static void write_fallback(int priority, const char *message) {
    static const char *levels[8] = {"critical", "critical", "critical", "error", "warning", "notice", "info", "debug"};
    char line[2300];
    int n = snprintf(line, sizeof line, "level=%s label=runtime msg=\"runtime message\" text=\"", levels[priority & 7]);
    if (n < 0) return;
    size_t len = (size_t)n;
    for (const char *p = message; *p != '\0' && len < sizeof line - 8; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') { line[len++] = '\\'; line[len++] = (char)c; }
        else if (c == '\n') { line[len++] = '\\'; line[len++] = 'n'; }
        else if (c < 0x20 || c == 0x7f) { line[len++] = ' '; }
        else { line[len++] = (char)c; }
    }
    line[len++] = '"';
    line[len++] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, len);
    (void)ignored;
}

static void flush_pending_at_exit(void) {
    pthread_mutex_lock(&lock);
    if (current_handler == NULL) {
        for (int i = 0; i < pending_count; i++) write_fallback(pending_priority[i], pending[i]);
        pending_count = 0;
    }
    pthread_mutex_unlock(&lock);
}

void th_syslog_capture(th_syslog_handler handler) {
    char replay[PENDING_MAX][1024];
    int replay_priority[PENDING_MAX];
    pthread_mutex_lock(&lock);
    current_handler = handler;
    int count = handler != NULL ? pending_count : 0;
    for (int i = 0; i < count; i++) {
        memcpy(replay[i], pending[i], sizeof pending[i]);
        replay_priority[i] = pending_priority[i];
    }
    if (handler != NULL) pending_count = 0;
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < count; i++) handler(replay_priority[i], replay[i]);
}

void vsyslog(int priority, const char *format, va_list arguments) {
    char message[1024];
    vsnprintf(message, sizeof message, format, arguments);
    /* Drop the trailing newlines some callers add. */
    size_t len = strlen(message);
    while (len > 0 && (message[len - 1] == '\n' || message[len - 1] == '\r')) message[--len] = '\0';
    pthread_mutex_lock(&lock);
    th_syslog_handler handler = current_handler;
    if (handler == NULL) {
        if (pending_count < PENDING_MAX) {
            memcpy(pending[pending_count], message, len + 1);
            pending_priority[pending_count] = priority & 7;
            pending_count++;
            if (!flush_registered) { flush_registered = 1; atexit(flush_pending_at_exit); }
            pthread_mutex_unlock(&lock);
            return;
        }
        pthread_mutex_unlock(&lock);
        write_fallback(priority & 7, message);
        return;
    }
    pthread_mutex_unlock(&lock);
    handler(priority & 7, message);
}

void syslog(int priority, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsyslog(priority, format, arguments);
    va_end(arguments);
}
