#pragma once
// Process life-cycle scenarios for the host tests. Each start_*() creates a process (a user_mode_thread
// child of the idle task, which lets it go when it exits) that plays the scenario out once the test runs
// the tasks (RealThreads::run_until_idle()), recording what it saw in `facts`.
//
// The scenarios live in their own file because the kernel's signal and wait constants (Linux's values)
// and the C library's <signal.h>/<sys/wait.h>, which GoogleTest includes, cannot share a file.
#include <map>
#include <string>

using Facts = std::map<std::string, long>;

void start_wait4_reaps_exited_child(Facts& facts);
void start_zombie_stays_until_reaped(Facts& facts);
void start_wnohang_while_child_runs(Facts& facts);
void start_wait_for_one_child(Facts& facts);
void start_wait_by_process_group(Facts& facts);
void start_wait_for_non_child(Facts& facts);
void start_invalid_wait_options(Facts& facts);
void start_clone_children_need_wclone(Facts& facts);
void start_orphans_go_to_reaper(Facts& facts);
void start_threads_share_tgid(Facts& facts);
void start_leader_reported_after_last_thread(Facts& facts);
void start_vfork_parent_waits(Facts& facts);
void start_stop_and_continue_reported_once(Facts& facts);
void start_setpgid_setsid_rules(Facts& facts);
void start_rlimit_nproc(Facts& facts);
void start_rusage_children(Facts& facts);

// Facts about the world after a scenario.
bool pid_in_use_now(long pid);
unsigned nproc_count_of(unsigned uid);
