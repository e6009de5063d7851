#ifndef TRACKHUB_CSYSLOGCAPTURE_H
#define TRACKHUB_CSYSLOGCAPTURE_H

/* Receives one syslog(3) message of this process: its priority (LOG_EMERG 0 … LOG_DEBUG 7) and
   the formatted text. Called on whichever thread logged; must not call syslog itself. */
typedef void (*th_syslog_handler)(int priority, const char *message);

/* Routes syslog()/vsyslog() calls of this process to the handler, first replaying those made
   before (kept until then; written as logfmt lines on stderr at exit if no handler ever comes).
   See CSyslogCapture.c for why. */
void th_syslog_capture(th_syslog_handler handler);

#endif
