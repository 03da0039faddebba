# Run by `cmake --install` (see CMakeLists.txt): installs the example
# configuration JOBHOST_EXAMPLE_CONFIG as SYSCONFDIR/jobhost/jobhost.ini, where
# SYSCONFDIR follows GNUInstallDirs for the prefix being installed to:
# JOBHOST_SYSCONFDIR if absolute; /etc for the prefix /usr; /etc/opt/X for
# /opt/X; else PREFIX/JOBHOST_SYSCONFDIR. DESTDIR is honoured by file(INSTALL).
#
# A jobhost.ini already there is the administrator's and is left alone; the
# new example is then installed beside it as jobhost.ini.new.
if(IS_ABSOLUTE "${JOBHOST_SYSCONFDIR}")
  set(sysconfdir "${JOBHOST_SYSCONFDIR}")
elseif(CMAKE_INSTALL_PREFIX MATCHES "^/usr/?$" AND JOBHOST_SYSCONFDIR STREQUAL "etc")
  set(sysconfdir "/etc")
elseif(CMAKE_INSTALL_PREFIX MATCHES "^/opt/([^/]+)/?$" AND JOBHOST_SYSCONFDIR STREQUAL "etc")
  set(sysconfdir "/etc/opt/${CMAKE_MATCH_1}")
else()
  set(sysconfdir "${CMAKE_INSTALL_PREFIX}/${JOBHOST_SYSCONFDIR}")
endif()

set(config_dir "${sysconfdir}/jobhost")
if(EXISTS "$ENV{DESTDIR}${config_dir}/jobhost.ini")
  message(STATUS "Keeping: $ENV{DESTDIR}${config_dir}/jobhost.ini (the example goes to jobhost.ini.new)")
  set(config_name jobhost.ini.new)
else()
  set(config_name jobhost.ini)
endif()
# Not world-readable: the file may hold credentials ([chain.NAME] headers).
file(INSTALL "${JOBHOST_EXAMPLE_CONFIG}" DESTINATION "${config_dir}" RENAME "${config_name}"
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
