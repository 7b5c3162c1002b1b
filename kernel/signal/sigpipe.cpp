// SIGPIPE for a writer whose pipe has no reader left (fs/pipe.hpp calls the hook after EPIPE), sent to
// the writing thread as Linux's pipe_write does (send_sig: SI_USER from the writer itself).
#include <fs/pipe.hpp>
#include <init/initcall.hpp>
#include <signal/internal.hpp>

void send_sigpipe_to_current() {
    Task* t = current();
    KernelSigInfo info;
    info.signo = SIGPIPE;
    info.code = SI_USER;
    info.pid = t->tgid;
    info.uid = task_uid(t);
    (void)send_sig_info(SIGPIPE, info, t);
}

namespace {
int sigpipe_init() {
    pipe_sigpipe_hook = send_sigpipe_to_current;
    return 0;
}
core_initcall(sigpipe_init);
}  // namespace
