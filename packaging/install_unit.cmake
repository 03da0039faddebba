# Run by `cmake --install` (see CMakeLists.txt): generates the systemd unit
# from JOBHOST_UNIT_TEMPLATE for the prefix being installed to, so that its
# ExecStart names that prefix's jobhost and jobhost.ini (install_dirs.cmake),
# writes it as JOBHOST_UNIT_FILE and installs it into JOBHOST_SYSTEMDUNITDIR
# (relative to the prefix, or absolute). DESTDIR is honoured by file(INSTALL).
include("${CMAKE_CURRENT_LIST_DIR}/install_dirs.cmake")

configure_file("${JOBHOST_UNIT_TEMPLATE}" "${JOBHOST_UNIT_FILE}" @ONLY)
if(IS_ABSOLUTE "${JOBHOST_SYSTEMDUNITDIR}")
  set(unit_dir "${JOBHOST_SYSTEMDUNITDIR}")
else()
  set(unit_dir "${CMAKE_INSTALL_PREFIX}/${JOBHOST_SYSTEMDUNITDIR}")
endif()
file(INSTALL "${JOBHOST_UNIT_FILE}" DESTINATION "${unit_dir}"
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
