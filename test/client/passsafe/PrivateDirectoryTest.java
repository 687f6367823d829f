package passsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where sockets and session files are looked for, and which directories and files are trusted, on this machine's real file system. */
class PrivateDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void candidates_runtimeDirThenTmpThenHome_inThatOrder() throws IOException {
        String uid = Integer.toString(ProcNet.realUid());
        List<Path> dirs = PrivateDirectory.candidates(Map.of(PrivateDirectory.RUNTIME_DIR, "/run/user/1000"));
        assertEquals(3, dirs.size(), dirs::toString);
        assertEquals(Paths.get("/run/user/1000/passsafe"), dirs.get(0));
        assertEquals(Paths.get(System.getProperty("java.io.tmpdir"), "passsafe-" + uid), dirs.get(1));
        assertTrue(dirs.get(2).startsWith(Paths.get(System.getProperty("user.home"), ".passsafe")), dirs::toString);
        String host = new String(Files.readAllBytes(Paths.get("/proc/sys/kernel/hostname")), java.nio.charset.StandardCharsets.US_ASCII).trim();
        assertEquals(host.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,62}") ? host : "host", dirs.get(2).getFileName().toString());
    }

    @Test
    void candidates_relativeOrNoRuntimeDir_isSkipped() {
        assertEquals(2, PrivateDirectory.candidates(Map.of(PrivateDirectory.RUNTIME_DIR, "run/user/1000")).size());
        assertEquals(2, PrivateDirectory.candidates(Map.of()).size());
    }

    @Test
    void untrusted_ownPrivateDirectory_isTrusted_anythingLooserIsNot() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("private"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
        assertNull(PrivateDirectory.untrusted(dir));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        assertEquals("others may enter it (rwx--x--x)", PrivateDirectory.untrusted(dir));
        Path file = Files.createFile(temp.resolve("file"));
        assertEquals("it is not a directory", PrivateDirectory.untrusted(file));
        Path link = Files.createSymbolicLink(temp.resolve("link"), dir);
        assertEquals("it is not a directory", PrivateDirectory.untrusted(link), "a link is never followed");
        assertTrue(PrivateDirectory.untrusted(temp.resolve("missing")).contains("missing"));
    }

    @Test
    void untrusted_ownerComparedByUid_neverByAUserNameTheJvmWasGiven() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("mine"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
        String name = System.getProperty("user.name");
        // -Duser.name or JAVA_TOOL_OPTIONS can set it to anyone; the directory's uid decides.
        System.setProperty("user.name", ProcNet.realUid() == 0 ? "nobody" : "root");
        try {
            assertNull(PrivateDirectory.untrusted(dir));
        } finally {
            System.setProperty("user.name", name);
        }
    }

    @Test
    void untrusted_files_regularAndOwnerOnly() throws IOException {
        Path file = Files.createFile(temp.resolve("8051.session"), PosixFilePermissions.asFileAttribute(PrivateDirectory.OWNER_ONLY));
        assertNull(PrivateDirectory.untrusted(file, false, PrivateDirectory.OWNER_ONLY));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals("others may read it (rw-r-----)", PrivateDirectory.untrusted(file, false, PrivateDirectory.OWNER_ONLY));
        assertEquals("it is not a regular file", PrivateDirectory.untrusted(temp, false, PrivateDirectory.OWNER_ONLY));
    }

    @Test
    void untrusted_anotherUsersDirectory_namesTheOwner() throws IOException {
        Path root = Paths.get("/");
        String why = PrivateDirectory.untrusted(root, true, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (ProcNet.realUid() == 0) {
            assertNull(why, "root owns /");
        } else {
            assertEquals("it belongs to root, not to you", why);
        }
    }

    @Test
    void untrusted_aPrivateDirectoryOfAnotherUid_isNotTrusted() throws IOException {
        // Only root can give a directory away; as anyone else this is the test above, with /.
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcNet.realUid() == 0, "needs root, to give a directory to nobody");
        Path dir = Files.createDirectory(temp.resolve("nobodys"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertEquals("it belongs to nobody, not to you", PrivateDirectory.untrusted(dir));
    }

    @Test
    void prepare_aFreshHome_makesItsDirectoryThere() throws IOException {
        Path home = Files.createDirectory(temp.resolve("home"));
        Path notADirectory = Files.createFile(temp.resolve("tmpfile"));
        java.util.List<String> notes = new java.util.ArrayList<>();
        Path dir = PrivateDirectory.prepare(Map.of("TMPDIR", notADirectory.toString(), "HOME", home.toString()), notes::add);
        assertEquals(home.resolve(".passsafe"), dir.getParent(), notes.toString());
        assertNull(PrivateDirectory.untrusted(dir), "~/.passsafe, made on the way, is no link nor anyone else's");
        assertEquals(1, notes.size(), "only the temporary directory's candidate was passed over: " + notes);
    }

    /** OpenSSH's safe_path: whoever may rename what lies above the directory could swap it for her own. */
    @Test
    void untrusted_anAncestorAnotherUserCouldSwap_isRefusedNamingIt() throws IOException {
        Path parent = Files.createDirectory(temp.resolve("parent"));
        Path dir = Files.createDirectory(parent.resolve("passsafe"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
        assertNull(PrivateDirectory.untrusted(dir), "a 0755 parent of the user's, under a sticky temporary directory");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals("others may write the directory " + parent.toRealPath() + " above it, and swap it", PrivateDirectory.untrusted(dir));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertEquals("others may write the directory " + parent.toRealPath() + " above it, and swap it", PrivateDirectory.untrusted(dir),
                "group-writable");
        Files.setAttribute(parent, "unix:mode", 01777);
        assertNull(PrivateDirectory.untrusted(dir), "sticky, as /tmp is: no one else can rename the user's entries");
    }

    /** The same for what another user owns on the way: giving her a directory or a link takes root. */
    @Test
    void untrusted_anAncestorOrALinkOfAnotherUser_isRefusedNamingIt() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcNet.ownUid() == 0, "skipped: giving a directory to another user needs root");
        Path parent = Files.createDirectory(temp.resolve("parent"));
        Path dir = Files.createDirectory(parent.resolve("passsafe"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
        Files.setOwner(parent, parent.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertEquals("the directory " + parent.toRealPath() + " above it belongs to another user, who could swap it", PrivateDirectory.untrusted(dir));
        Path link = Files.createSymbolicLink(temp.resolve("link"), Files.createDirectory(temp.resolve("mine")));
        Path viaLink = Files.createDirectory(link.resolve("passsafe"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
        assertNull(PrivateDirectory.untrusted(viaLink), "the user's own link to the user's own directory");
        Files.getFileAttributeView(link, java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .setOwner(link.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertEquals("the link " + link + " on its way belongs to another user", PrivateDirectory.untrusted(viaLink));
    }

    @Test
    void find_aSocketInAPrivateDirectory_notInALooseOne() throws IOException {
        Path runtime = Files.createDirectory(temp.resolve("runtime"));
        Path dir = Files.createDirectory(runtime.resolve("passsafe"), PosixFilePermissions.asFileAttribute(PrivateDirectory.PRIVATE));
        Map<String, String> env = Map.of(PrivateDirectory.RUNTIME_DIR, runtime.toString());
        int port = 40000 + (int) (ProcessHandle.current().pid() % 20000);
        assertNull(PrivateDirectory.find(env, port, PrivateDirectory.Kind.SOCKET));
        Path socket = Files.createFile(PrivateDirectory.Kind.SOCKET.in(dir, port));
        assertEquals(dir.resolve(port + ".sock"), socket);
        assertEquals(socket, PrivateDirectory.find(env, port, PrivateDirectory.Kind.SOCKET));
        assertEquals(Files.getOwner(dir), PrivateDirectory.self(), "this process's user, by its real uid");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(PrivateDirectory.find(env, port, PrivateDirectory.Kind.SOCKET), "a directory others may enter is not looked in");
    }
}
