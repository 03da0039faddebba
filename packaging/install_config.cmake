# Run by `cmake --install` (see CMakeLists.txt): installs the example
# configuration JOBHOST_EXAMPLE_CONFIG as SYSCONFDIR/jobhost/jobhost.ini, where
# SYSCONFDIR is that of the prefix being installed to (install_dirs.cmake).
# DESTDIR is honoured by file(INSTALL).
#
# A jobhost.ini already there is the administrator's and is left alone; the
# new example is then installed beside it as jobhost.ini.new.
include("${CMAKE_CURRENT_LIST_DIR}/install_dirs.cmake")

set(config_dir "${jobhost_full_sysconfdir}/jobhost")
if(EXISTS "$ENV{DESTDIR}${config_dir}/jobhost.ini")
  message(STATUS "Keeping: $ENV{DESTDIR}${config_dir}/jobhost.ini (the example goes to jobhost.ini.new)")
  set(config_name jobhost.ini.new)
else()
  set(config_name jobhost.ini)
endif()
# Not world-readable: the file may hold credentials ([chain.NAME] headers).
file(INSTALL "${JOBHOST_EXAMPLE_CONFIG}" DESTINATION "${config_dir}" RENAME "${config_name}"
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
