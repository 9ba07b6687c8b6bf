# Run by the packages' maintainer scripts as `bash /usr/share/manage-procs/update-client-archive.sh`:
# (re)makes the CLI's class-data archive (an AOT cache from JDK 24 on; bin/lib/client-archive.sh) with the Java runtime the launcher picks, for it alone, so
# that the installed client starts fast. With no Java >= 21 found there is no archive (and the
# client still works, only slower). Installed Java runtimes changing run it again (deb trigger,
# rpm file trigger on /usr/lib/jvm).
dir=/usr/share/manage-procs
# a subshell: mp_find_java exits when it finds no Java
( . "$dir/find-java.sh" && . "$dir/jvm-options.sh" && . "$dir/client-archive.sh" \
  && mp_find_java 21 jre 2>/dev/null \
  && mp_dump_client_archive "$dir/manage-procs.jar" "$dir/manage-procs-client" ) \
  || rm -f "$dir/manage-procs-client.aot" "$dir/manage-procs-client.jsa"
exit 0
