#define _GNU_SOURCE
#include "ferry_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// From <linux/capability.h>, which clashes with glibc's headers when included beside them.
enum { FERRY_CAP_SYS_NICE = 23 };

// Only async-signal-safe calls happen between fork and exec/_exit: the caller is multithreaded.

enum { MESSAGE_CHILD_PID = 1, MESSAGE_EXEC_ERRNO = 2 };

typedef struct {
    int32_t kind;
    int32_t value;
} message;

static void write_message(int fd, int32_t kind, int32_t value) {
    message m = {kind, value};
    ssize_t ignored = write(fd, &m, sizeof m);
    (void)ignored;
}

/// Closes every descriptor from 3 up except `keep` (which must be >= 3 or negative).
static void close_descriptors_except(int keep_a, int keep_b) {
    int keep[2] = {keep_a < keep_b ? keep_a : keep_b, keep_a < keep_b ? keep_b : keep_a};
    unsigned int from = 3;
    for (int i = 0; i < 2; i++) {
        if (keep[i] < 3) continue;
        if ((unsigned int)keep[i] > from) {
            if (syscall(SYS_close_range, from, (unsigned int)keep[i] - 1, 0) != 0) {
                for (unsigned int fd = from; fd < (unsigned int)keep[i]; fd++) close((int)fd);
            }
        }
        from = (unsigned int)keep[i] + 1;
    }
    if (syscall(SYS_close_range, from, ~0U, 0) != 0) {
        for (unsigned int fd = from; fd < 65536; fd++) close((int)fd);
    }
}

static void sleep_milliseconds(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* Ends the group: SIGTERM, up to 500 ms for it to go, then SIGKILL. An exited process that nobody has
   reaped (a zombie) still counts as a member of its group, so `kill(-group, 0)` would keep succeeding
   for the whole grace period on every normal stop. The watchdog is the group's subreaper (see
   ferry_spawn_guarded): chromedriver, and any Chromium process orphaned when its parent exits, are
   its children, and it reaps them here as they exit. */
static void terminate_group(pid_t group, int *child_exited) {
    if (kill(-group, SIGTERM) != 0) return;
    for (int i = 0; i < 100; i++) {
        int status;
        pid_t reaped;
        while ((reaped = waitpid(-1, &status, WNOHANG)) > 0) {
            if (reaped == group) *child_exited = 1;
        }
        if (kill(-group, 0) != 0) return;
        sleep_milliseconds(5);
    }
    kill(-group, SIGKILL);
}

static void run_watchdog(pid_t child, int lifeline) {
    int child_exited = 0;
    for (;;) {
        struct pollfd p = {lifeline, POLLIN, 0};
        int ready = poll(&p, 1, 250);
        if (ready > 0) {
            char byte;
            ssize_t n = read(lifeline, &byte, 1);
            if (n == 0 || (n < 0 && errno != EINTR)) break;
        }
        int status;
        if (waitpid(child, &status, WNOHANG) == child) {
            child_exited = 1;
            break;
        }
    }
    terminate_group(child, &child_exited);
    if (!child_exited) {
        int status;
        waitpid(child, &status, 0);
    }
    _exit(0);
}

int ferry_spawn_guarded(const char *path, char *const argv[], char *const envp[], int output_fd, int niceness,
                        ferry_guarded_process *result) {
    int lifeline[2], report[2];
    if (pipe2(lifeline, O_CLOEXEC) != 0) return errno;
    if (pipe2(report, O_CLOEXEC) != 0) {
        int saved = errno;
        close(lifeline[0]);
        close(lifeline[1]);
        return saved;
    }

    pid_t watchdog = fork();
    if (watchdog < 0) {
        int saved = errno;
        close(lifeline[0]); close(lifeline[1]); close(report[0]); close(report[1]);
        return saved;
    }

    if (watchdog == 0) {
        // The watchdog: keep only its end of the lifeline and the report pipe.
        close(lifeline[1]);
        close(report[0]);
        int devnull = open("/dev/null", O_RDWR);
        int out = output_fd >= 0 ? output_fd : devnull;
        if (out != 1) dup2(out, 1);
        if (out != 2) dup2(out, 2);
        if (devnull >= 0) dup2(devnull, 0);
        close_descriptors_except(lifeline[0], report[1]);
        // Orphaned descendants (Chromium's helpers when the browser exits first) become the watchdog's
        // children instead of init's, so they can be reaped at once (see terminate_group).
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        // Its name says the group is guarded, so `ferry resume` never reaps a live owner's browsers
        // under a process group id that was reused (see ChromeDriverService.reap).
        prctl(PR_SET_NAME, "ferry-watchdog", 0, 0, 0);
        // Where the kernel groups CPU time by session (autogroup, the default on desktop and many server
        // kernels), a process's niceness counts only against its own session: browsers started by a
        // `ferry run` at nice 10 still took an equal share of the CPU from the dashboard in another
        // session. A session of their own, whose autogroup is made nicer, yields to every other session.
        if (niceness > 0 && setsid() >= 0) {
            int autogroup = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
            if (autogroup >= 0) {
                char text[4] = {(char)('0' + niceness / 10), (char)('0' + niceness % 10), '\n', 0};
                const char *start = niceness >= 10 ? text : text + 1;
                ssize_t ignored = write(autogroup, start, strlen(start));
                (void)ignored;
                close(autogroup);
            }
        }

        pid_t child = fork();
        if (child < 0) {
            write_message(report[1], MESSAGE_EXEC_ERRNO, errno);
            _exit(127);
        }
        if (child == 0) {
            setpgid(0, 0);
            // Only the program is made nicer (its descendants inherit it), never the watchdog.
            if (niceness > 0) {
                setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0) + niceness);
                // Chromium sets each thread's niceness itself (0 for most, -8 for display and I/O threads),
                // which it may as root or with a raised RLIMIT_NICE: the browsers then outran the dashboard
                // and the scheduler they were made nicer for. Without CAP_SYS_NICE and with RLIMIT_NICE 0 a
                // thread can only become nicer. Dropping from the bounding set needs CAP_SETPCAP; without it
                // the process had no CAP_SYS_NICE to keep anyway.
                prctl(PR_CAPBSET_DROP, FERRY_CAP_SYS_NICE, 0, 0, 0);
                struct rlimit none = {0, 0};
                setrlimit(RLIMIT_NICE, &none);
            }
            close(lifeline[0]);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            execve(path, argv, envp);
            write_message(report[1], MESSAGE_EXEC_ERRNO, errno);
            _exit(127);
        }
        setpgid(child, child);
        write_message(report[1], MESSAGE_CHILD_PID, child);
        close(report[1]);
        run_watchdog(child, lifeline[0]);
    }

    close(lifeline[0]);
    close(report[1]);

    pid_t child = -1;
    int exec_errno = 0;
    message m;
    for (;;) {
        ssize_t n = read(report[0], &m, sizeof m);
        if (n < 0 && errno == EINTR) continue;
        if (n != (ssize_t)sizeof m) break;
        if (m.kind == MESSAGE_CHILD_PID) child = m.value;
        if (m.kind == MESSAGE_EXEC_ERRNO) exec_errno = m.value;
    }
    close(report[0]);

    if (exec_errno != 0 || child <= 0) {
        close(lifeline[1]);
        int status;
        waitpid(watchdog, &status, 0);
        return exec_errno != 0 ? exec_errno : ECHILD;
    }

    result->child_pid = child;
    result->watchdog_pid = watchdog;
    result->lifeline_fd = lifeline[1];
    return 0;
}
