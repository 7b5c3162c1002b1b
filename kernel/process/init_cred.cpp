// The credentials of the boot tasks, kernel threads and (until it changes them) init: root, with no
// supplementary groups. Every other Credentials starts as a copy of a parent's.
#include <process/cred.hpp>

Credentials init_cred;
