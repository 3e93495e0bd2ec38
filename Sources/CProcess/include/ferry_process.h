// Spawning a child program in its own process group, guarded by a watchdog that kills the group
// when the spawning process dies by any means (even SIGKILL). Chromium outlives chromedriver when
// only chromedriver is signalled; killing the group is the only way to leave nothing behind.
#ifndef FERRY_PROCESS_H
#define FERRY_PROCESS_H

#include <sys/types.h>

typedef struct {
    /// The spawned program; also the id of its process group.
    pid_t child_pid;
    /// The watchdog, a direct child of the caller, which must be reaped with waitpid.
    pid_t watchdog_pid;
    /// Held open by the caller; closing it (or dying) makes the watchdog kill the group and exit.
    int lifeline_fd;
} ferry_guarded_process;

/// Starts `path` with `argv` (NULL-terminated) and `envp`, its stdout and stderr sent to `output_fd`
/// (or /dev/null when negative), `niceness` added to its scheduling priority (0 to leave it, 10 to
/// yield the CPU to the caller's interactive work). Returns 0 on success, or an errno value (from
/// fork, pipe or execve).
int ferry_spawn_guarded(const char *path, char *const argv[], char *const envp[], int output_fd, int niceness,
                        ferry_guarded_process *result);

#endif
