//! The floor of a native front: a bare HTTP relay before `oxigraph serve-read-only`.
//!
//! Why: `bench/relay_floor.py` showed that no Python front can reach 0.9x of raw
//! Oxigraph on small lookups (its bare hop alone costs 83-92 us of CPU a request). This
//! relay answers the other half of issue 11's question: what does the hop cost when it is
//! native? It forwards a request's body and `Accept` to a backend over a kept-alive
//! connection and copies the answer back, one thread per client connection, with no
//! deadline, cap, negotiation or prefixes. A yardstick for
//! `bench/serve_bench.py --servers a,r,n,b`, never something to serve with.
//!
//!     relay-native LISTEN_PORT BACKEND_PORT

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

/// One HTTP message head and body read from `reader`: (first line, headers, body).
fn read_message(
    reader: &mut BufReader<TcpStream>,
) -> io::Result<Option<(String, Vec<(String, String)>, Vec<u8>)>> {
    let mut first = String::new();
    if reader.read_line(&mut first)? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    let mut length: Option<usize> = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "head cut"));
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim().to_string();
            if name == "content-length" {
                length = value.parse().ok();
            } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
            headers.push((name, value));
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "chunk size"))?;
            if size == 0 {
                let mut end = String::new();
                reader.read_line(&mut end)?;
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf)?;
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        reader.read_exact(&mut body)?;
    }
    Ok(Some((first, headers, body)))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

struct Backend {
    port: u16,
    conn: Option<(TcpStream, BufReader<TcpStream>)>,
}

impl Backend {
    /// Send one query and read the answer; one new connection is tried when a kept one fails.
    fn ask(&mut self, accept: &str, body: &[u8]) -> io::Result<(String, String, Vec<u8>)> {
        let mut request = format!(
            "POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n\
             Accept: {}\r\nContent-Length: {}\r\n\r\n",
            accept,
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        for _ in 0..2 {
            if self.conn.is_none() {
                let stream = TcpStream::connect(("127.0.0.1", self.port))?;
                stream.set_nodelay(true)?;
                let reader = BufReader::with_capacity(1 << 16, stream.try_clone()?);
                self.conn = Some((stream, reader));
            }
            let (stream, reader) = self.conn.as_mut().unwrap();
            if stream.write_all(&request).is_ok() {
                if let Ok(Some((status, headers, answer))) = read_message(reader) {
                    let code = status.split(' ').nth(1).unwrap_or("502").to_string();
                    let kind = header(&headers, "content-type").unwrap_or("").to_string();
                    return Ok((code, kind, answer));
                }
            }
            self.conn = None;
        }
        Err(io::Error::new(io::ErrorKind::ConnectionAborted, "backend closed"))
    }
}

fn serve(client: TcpStream, backend_port: u16) -> io::Result<()> {
    client.set_nodelay(true)?;
    let mut writer = client.try_clone()?;
    let mut reader = BufReader::with_capacity(1 << 16, client);
    let mut backend = Backend { port: backend_port, conn: None };
    while let Some((_, headers, body)) = read_message(&mut reader)? {
        let accept = header(&headers, "accept").unwrap_or("*/*").to_string();
        let (code, kind, answer) = backend.ask(&accept, &body)?;
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-type: {}\r\ncontent-length: {}\r\n\r\n",
            code,
            kind,
            answer.len()
        )
        .into_bytes();
        out.extend_from_slice(&answer);
        writer.write_all(&out)?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: relay-native LISTEN_PORT BACKEND_PORT");
        std::process::exit(2);
    }
    let listen: u16 = args[1].parse().expect("LISTEN_PORT");
    let backend: u16 = args[2].parse().expect("BACKEND_PORT");
    let listener = TcpListener::bind(("127.0.0.1", listen)).expect("bind");
    for client in listener.incoming().flatten() {
        thread::spawn(move || {
            let _ = serve(client, backend);
        });
    }
}
