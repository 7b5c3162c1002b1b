# cmake -DBUSYBOX=path -DROOT=dir -DINIT=file [-DTESTS=f;g] [-DETC=dir] -P mkbusyboxroot.cmake
# Lays out a busybox root file system in ROOT (made afresh): /bin/busybox, /bin/<applet> -> busybox,
# /init, /tests/<each of TESTS>, /etc from ETC (plus /etc/mtab -> /proc/self/mounts), and empty
# /proc /dev /tmp /sys mount points.
file(REMOVE_RECURSE ${ROOT})
file(MAKE_DIRECTORY ${ROOT}/bin ${ROOT}/proc ${ROOT}/dev ${ROOT}/tmp ${ROOT}/sys ${ROOT}/root)
file(COPY ${BUSYBOX} DESTINATION ${ROOT}/bin FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
     GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# The applets busybox was built with. "[" and "[[" are applets too, but a '[' stops CMake from
# splitting a list, so they travel as @LB@.
execute_process(COMMAND ${BUSYBOX} --list OUTPUT_VARIABLE applets OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REPLACE "[" "@LB@" applets "${applets}")
string(REPLACE "\n" ";" applets "${applets}")
foreach(applet ${applets})
    string(REPLACE "@LB@" "[" applet "${applet}")
    if(NOT applet STREQUAL "busybox")
        file(CREATE_LINK busybox "${ROOT}/bin/${applet}" SYMBOLIC)
    endif()
endforeach()
# Scripts name their interpreter by the usual paths.
file(MAKE_DIRECTORY ${ROOT}/usr)
file(CREATE_LINK ../bin ${ROOT}/usr/bin SYMBOLIC)
file(CREATE_LINK bin ${ROOT}/sbin SYMBOLIC)
file(COPY ${INIT} DESTINATION ${ROOT})
get_filename_component(init_name ${INIT} NAME)
file(RENAME ${ROOT}/${init_name} ${ROOT}/init)
file(CHMOD ${ROOT}/init PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
     WORLD_READ WORLD_EXECUTE)
if(TESTS)
    file(MAKE_DIRECTORY ${ROOT}/tests)
    file(COPY ${TESTS} DESTINATION ${ROOT}/tests)
endif()
if(ETC)
    file(COPY ${ETC} DESTINATION ${ROOT})
endif()
# As on any Linux system: the mount table through /proc (busybox df and mount read /etc/mtab).
file(MAKE_DIRECTORY ${ROOT}/etc)
file(CREATE_LINK ../proc/self/mounts ${ROOT}/etc/mtab SYMBOLIC)
