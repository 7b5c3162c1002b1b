#pragma once
// The host C library's <errno.h> (pulled in by GoogleTest) defines EINVAL, ETIME, ... as macros, which
// would turn Errno::EINVAL into Errno::22. Test files include the kernel headers first (so the Errno
// enum is declared before the macros exist), then GoogleTest, then this header.
#undef EBUSY
#undef EINVAL
#undef ENODEV
#undef ENOENT
#undef ETIME
