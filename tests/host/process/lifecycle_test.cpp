// The process life cycle on the host: processes that run kernel functions (user_mode_thread), their
// exit, zombies, wait4/waitid, orphans, thread groups, vfork, process groups and RLIMIT_NPROC, with
// real (cooperative) task switching. The scenarios are in scenarios.cpp.
#include "process/scenarios.hpp"
#include "sched/real_threads.hpp"

#include <sys/wait.h>

namespace {

class Processes : public RealThreads {
protected:
    Facts run(void (*scenario)(Facts&)) {
        Facts facts;
        scenario(facts);
        run_until_idle();
        return facts;
    }
};

long err(Errno e) { return -long(e); }

TEST_F(Processes, Wait4ReapsAnExitedChildWithItsStatus) {
    Facts f = run(start_wait4_reaps_exited_child);
    EXPECT_GT(f["child"], 0);
    EXPECT_EQ(f["reaped"], f["child"]);
    EXPECT_EQ(f["status"], 42 << 8);
    EXPECT_TRUE(WIFEXITED(int(f["status"])));
    EXPECT_EQ(WEXITSTATUS(int(f["status"])), 42);
    EXPECT_EQ(f["again"], err(Errno::ECHILD));
    EXPECT_FALSE(pid_in_use_now(f["child"]));  // released: its PID is free
}

TEST_F(Processes, ZombieStaysUntilReaped) {
    Facts f = run(start_zombie_stays_until_reaped);
    EXPECT_EQ(f["peek"], f["child"]);
    EXPECT_EQ(f["peek_code"], CLD_EXITED);
    EXPECT_EQ(f["peek_status"], 3);
    EXPECT_EQ(f["in_table"], 1);
    EXPECT_EQ(f["exit_state"], 0x20);  // EXIT_ZOMBIE
    EXPECT_EQ(f["reaped"], f["child"]);
    EXPECT_FALSE(pid_in_use_now(f["child"]));
}

TEST_F(Processes, WnohangReturnsZeroWhileTheChildRuns) {
    Facts f = run(start_wnohang_while_child_runs);
    EXPECT_EQ(f["first"], 0);
    EXPECT_EQ(f["later"], f["child"]);
}

TEST_F(Processes, WaitForOneChildLeavesTheOthers) {
    Facts f = run(start_wait_for_one_child);
    EXPECT_EQ(f["got_b"], f["b"]);
    EXPECT_EQ(f["status_b"], 2 << 8);
    EXPECT_EQ(f["got_a"], f["a"]);
    EXPECT_EQ(f["status_a"], 1 << 8);
}

TEST_F(Processes, WaitByProcessGroup) {
    Facts f = run(start_wait_by_process_group);
    EXPECT_GT(f["setsid"], 0);
    EXPECT_EQ(f["setpgid"], 0);
    EXPECT_EQ(f["got_group_b"], f["b"]);
    EXPECT_EQ(f["status_b"], 6 << 8);
    EXPECT_EQ(f["got_own_group"], f["a"]);
    EXPECT_EQ(f["group_b_again"], err(Errno::ECHILD));
}

TEST_F(Processes, WaitForAPidThatIsNotAChildIsEchild) {
    Facts f = run(start_wait_for_non_child);
    EXPECT_EQ(f["self"], err(Errno::ECHILD));
}

TEST_F(Processes, InvalidWaitArgumentsAreRefusedAsLinuxDoes) {
    Facts f = run(start_invalid_wait_options);
    EXPECT_EQ(f["wait4_wnowait"], err(Errno::EINVAL));
    EXPECT_EQ(f["waitid_pid0"], err(Errno::EINVAL));
    EXPECT_EQ(f["waitid_no_event"], err(Errno::EINVAL));
    EXPECT_EQ(f["waitid_bad_which"], err(Errno::EINVAL));
    EXPECT_EQ(f["wait4_int_min"], err(Errno::ESRCH));
}

TEST_F(Processes, CloneChildrenNeedWclone) {
    Facts f = run(start_clone_children_need_wclone);
    EXPECT_EQ(f["plain"], err(Errno::ECHILD));
    EXPECT_EQ(f["wclone"], f["child"]);
}

TEST_F(Processes, OrphansGoToTheReaper) {
    Facts f = run(start_orphans_go_to_reaper);
    EXPECT_EQ(f["child_reaped"], 1);
    // No PID 1 on the host: orphans go to the idle task, which (like any kernel thread) lets them go.
    EXPECT_EQ(f["parent_is_idle"], 1);
    EXPECT_FALSE(pid_in_use_now(f["grandchild"]));
}

TEST_F(Processes, ThreadsShareTheTgidAndAreNotChildren) {
    Facts f = run(start_threads_share_tgid);
    EXPECT_GT(f["tid"], 0);
    EXPECT_NE(f["tid"], f["leader"]);
    EXPECT_EQ(f["thread_tgid"], f["leader"]);
    EXPECT_EQ(f["thread_leader_pid"], f["leader"]);
    EXPECT_EQ(f["wait_thread"], err(Errno::ECHILD));
    EXPECT_FALSE(pid_in_use_now(f["tid"]));  // threads are released as they exit
}

TEST_F(Processes, LeaderIsReportedAfterItsLastThread) {
    Facts f = run(start_leader_reported_after_last_thread);
    EXPECT_EQ(f["leader_zombie"], 1);
    EXPECT_EQ(f["while_thread_runs"], 0);
    EXPECT_EQ(f["after"], f["child"]);
    EXPECT_EQ(f["status"], 9 << 8);
}

TEST_F(Processes, VforkParentWaitsForTheChild) {
    Facts f = run(start_vfork_parent_waits);
    EXPECT_EQ(f["child_done_at_return"], 1);
    EXPECT_EQ(f["reaped"], 1);
}

TEST_F(Processes, StopAndContinueAreReportedOnce) {
    Facts f = run(start_stop_and_continue_reported_once);
    EXPECT_EQ(f["stopped_pid"], f["child"]);
    EXPECT_TRUE(WIFSTOPPED(int(f["stopped_status"])));
    EXPECT_EQ(WSTOPSIG(int(f["stopped_status"])), SIGTSTP);
    EXPECT_EQ(f["stopped_status"], (SIGTSTP << 8) | 0x7f);
    EXPECT_EQ(f["stopped_again"], 0);
    EXPECT_EQ(f["continued_waitid"], f["child"]);
    EXPECT_EQ(f["continued_code"], CLD_CONTINUED);
    EXPECT_EQ(f["continued_pid"], f["child"]);
    EXPECT_TRUE(WIFCONTINUED(int(f["continued_status"])));
    EXPECT_EQ(f["continued_status"], 0xffff);
    EXPECT_EQ(f["exited"], f["child"]);
}

TEST_F(Processes, SetpgidAndSetsidFollowLinuxRules) {
    Facts f = run(start_setpgid_setsid_rules);
    EXPECT_GT(f["setsid"], 0);
    EXPECT_EQ(f["setsid_again"], err(Errno::EPERM));
    EXPECT_EQ(f["after_exec"], err(Errno::EACCES));
    EXPECT_EQ(f["no_such_pid"], err(Errno::ESRCH));
    EXPECT_EQ(f["missing_group"], err(Errno::EPERM));
    EXPECT_EQ(f["negative_pgid"], err(Errno::EINVAL));
    EXPECT_EQ(f["own_group"], 0);
    EXPECT_NE(f["child_pgid"], f["self"]);
    EXPECT_EQ(f["child_sid"], f["self"]);
    EXPECT_EQ(f["join_back"], 0);
    EXPECT_EQ(f["child_pgid_after"], f["self"]);
}

TEST_F(Processes, RlimitNprocStopsForkForAnUnprivilegedUser) {
    Facts f = run(start_rlimit_nproc);
    EXPECT_EQ(f["prlimit"], 0);
    EXPECT_EQ(f["count_before"], 1);
    EXPECT_GT(f["allowed"], 0);
    EXPECT_EQ(f["refused"], err(Errno::EAGAIN));
    EXPECT_EQ(nproc_count_of(1000), 0u);
}

TEST_F(Processes, ReapedChildrenCountInRusageChildren) {
    Facts f = run(start_rusage_children);
    EXPECT_EQ(f["before"], 0);
    EXPECT_EQ(f["reaped"], 1);
    EXPECT_GT(f["child_switches"], 0);
    EXPECT_GT(f["child_utime"], 0);
    EXPECT_EQ(f["after"], f["child_utime"]);
}

}  // namespace
