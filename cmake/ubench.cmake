# The process-management benchmarks' initramfs: /init = user/bench/ubench (reports and powers off),
# /bench/nullprog for the fork+exec+wait benchmark. tools/bench/run_bench.py boots it on Tern and Linux.
set(TERN_UBENCH_ROOT ${CMAKE_BINARY_DIR}/ubench-root)
set(TERN_UBENCH_INITRAMFS ${CMAKE_BINARY_DIR}/ubench-initramfs.cpio.gz)
tern_user_program(OUT ${TERN_UBENCH_ROOT}/init SOURCE ${CMAKE_SOURCE_DIR}/user/bench/ubench.c)
tern_user_program(OUT ${TERN_UBENCH_ROOT}/bench/nullprog SOURCE ${CMAKE_SOURCE_DIR}/user/bench/nullprog.c
                  FLAGS -nostdlib -fno-stack-protector -fno-pie -no-pie)
add_custom_command(
    OUTPUT ${TERN_UBENCH_INITRAMFS}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py ${TERN_UBENCH_INITRAMFS} ${TERN_UBENCH_ROOT}
    DEPENDS ${TERN_UBENCH_ROOT}/init ${TERN_UBENCH_ROOT}/bench/nullprog ${CMAKE_SOURCE_DIR}/tools/mkinitramfs.py
    COMMENT "Packing the benchmark initramfs")
add_custom_target(ubench-initramfs ALL DEPENDS ${TERN_UBENCH_INITRAMFS})
