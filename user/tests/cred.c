/* cred: user and group IDs follow Linux's rules: root may set any ID, setuid as root sets all three
 * user IDs, an unprivileged process may only move among its real, effective and saved IDs, children
 * inherit credentials, and kill checks them. */
#include "utest.h"

#include <grp.h>

static void expect_uids(uid_t r, uid_t e, uid_t s) {
    uid_t rr, ee, ss;
    UT_OK(getresuid(&rr, &ee, &ss));
    UT_ASSERT(rr == r && ee == e && ss == s, "uids %d/%d/%d, expected %d/%d/%d", (int)rr, (int)ee, (int)ss,
              (int)r, (int)e, (int)s);
    UT_EQ(getuid(), r);
    UT_EQ(geteuid(), e);
}

UTEST_CASE(tests_start_as_root) {
    expect_uids(0, 0, 0);
    UT_EQ(getgid(), 0);
    UT_EQ(getegid(), 0);
}

UTEST_CASE(root_setuid_sets_all_three) {
    UT_OK(setuid(1000));
    expect_uids(1000, 1000, 1000);
    UT_ERRNO(setuid(0), EPERM); /* no way back */
    UT_ERRNO(seteuid(0), EPERM);
    UT_ERRNO(setresuid(-1, 0, -1), EPERM);
    expect_uids(1000, 1000, 1000);
}

UTEST_CASE(seteuid_keeps_saved_root) {
    UT_OK(seteuid(1000));
    expect_uids(0, 1000, 0);
    UT_OK(seteuid(0)); /* allowed: 0 is the real and saved ID */
    expect_uids(0, 0, 0);
}

UTEST_CASE(setresuid_moves_among_own_ids) {
    UT_OK(setresuid(1000, 2000, 3000));
    expect_uids(1000, 2000, 3000);
    UT_OK(setresuid(3000, -1, 2000)); /* any permutation of the three is allowed */
    expect_uids(3000, 2000, 2000);
    UT_ERRNO(setresuid(-1, 4000, -1), EPERM);
    UT_OK(setuid(3000)); /* unprivileged setuid: sets only the effective ID */
    expect_uids(3000, 3000, 2000);
}

UTEST_CASE(setreuid_rules) {
    UT_OK(setreuid(1000, 2000));
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    UT_EQ(r, 1000);
    UT_EQ(e, 2000);
    UT_EQ(s, 2000); /* the saved ID follows the new effective ID when the real ID is set */
    UT_OK(setreuid(2000, 1000)); /* swap: allowed without privilege */
    UT_ERRNO(setreuid(5000, -1), EPERM);
}

UTEST_CASE(group_ids_and_supplementary_groups) {
    UT_OK(setresgid(10, 20, 30));
    gid_t r, e, s;
    UT_OK(getresgid(&r, &e, &s));
    UT_ASSERT(r == 10 && e == 20 && s == 30, "gids %d/%d/%d", (int)r, (int)e, (int)s);
    gid_t groups[3] = {100, 200, 300}, got[8];
    UT_OK(setgroups(3, groups));
    UT_EQ(getgroups(0, NULL), 3);
    UT_EQ(getgroups(8, got), 3);
    UT_ASSERT(got[0] == 100 && got[1] == 200 && got[2] == 300, "groups %d %d %d", (int)got[0], (int)got[1], (int)got[2]);
    UT_ERRNO(getgroups(1, got), EINVAL);
    UT_OK(setuid(1000));
    UT_ERRNO(setgroups(0, NULL), EPERM);
    UT_ERRNO(setgid(0), EPERM);
    UT_OK(setgid(30)); /* the saved group ID */
}

UTEST_CASE(children_inherit_credentials) {
    UT_OK(setresgid(7, 7, 7));
    UT_OK(setresuid(1000, 1001, 1002));
    pid_t pid = ut_fork();
    if (pid == 0) {
        uid_t r, e, s;
        getresuid(&r, &e, &s);
        _exit(r == 1000 && e == 1001 && s == 1002 && getgid() == 7 ? 0 : 1);
    }
    UT_WAIT_OK(pid);
}

UTEST_CASE(kill_needs_matching_ids) {
    int ready[2];
    UT_OK(pipe(ready));
    pid_t victim = ut_fork();
    if (victim == 0) { /* owned by uid 2000 */
        setuid(2000);
        close(ready[1]);
        for (;;)
            pause();
    }
    close(ready[1]);
    char c;
    read(ready[0], &c, 1);
    pid_t other = ut_fork();
    if (other == 0) {
        setuid(3000);
        if (kill(victim, 0) != -1 || errno != EPERM)
            _exit(1);
        if (kill(victim, SIGKILL) != -1 || errno != EPERM)
            _exit(2);
        _exit(0);
    }
    UT_WAIT_OK(other);
    pid_t same = ut_fork();
    if (same == 0) {
        setuid(2000);
        _exit(kill(victim, SIGTERM) == 0 ? 0 : 1);
    }
    UT_WAIT_OK(same);
    int status = ut_wait(victim);
    UT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "victim %s", ut_status_str(status));
}

UTEST_CASE(invalid_id_einval) {
    UT_ERRNO(setuid((uid_t)-1), EINVAL);
    UT_ERRNO(setgid((gid_t)-1), EINVAL);
}
