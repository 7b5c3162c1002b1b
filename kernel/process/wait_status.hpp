#pragma once
// The status word wait4() stores and the siginfo waitid() fills, encoded exactly as Linux does
// (and as <sys/wait.h>'s WIFEXITED/WEXITSTATUS/WIFSIGNALED/WTERMSIG/WCOREDUMP/WIFSTOPPED/WSTOPSIG/
// WIFCONTINUED decode them):
//   exited with code c        (c & 0xff) << 8
//   killed by signal s        s, | 0x80 if it dumped core
//   stopped by signal s       (s << 8) | 0x7f
//   continued                 0xffff
// A task's exit_code holds the first two forms. (No signal header here: host tests check these against
// the C library's macros, whose <signal.h> cannot share a file with signal/signal.hpp.)

constexpr int kWaitCoreDumped = 0x80;
constexpr int kWaitContinued = 0xffff;

constexpr int exit_code_status(int code) { return (code & 0xff) << 8; }
constexpr int signal_status(int signo, bool core_dumped) { return (signo & 0x7f) | (core_dumped ? kWaitCoreDumped : 0); }
constexpr int stopped_status(int signo) { return ((signo & 0xff) << 8) | 0x7f; }

constexpr bool status_exited(int status) { return (status & 0x7f) == 0; }
constexpr int status_exit_code(int status) { return (status >> 8) & 0xff; }
constexpr bool status_signaled(int status) { return (status & 0x7f) != 0 && (status & 0x7f) != 0x7f; }
constexpr int status_term_signal(int status) { return status & 0x7f; }
constexpr bool status_stopped(int status) { return (status & 0xff) == 0x7f; }
constexpr bool status_continued(int status) { return status == kWaitContinued; }
