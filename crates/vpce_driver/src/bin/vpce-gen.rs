//! `vpce-gen N [FIRST_VPC]`: prints a generated configuration with N interface
//! endpoints, for `scripts/bench` and for trying vpce at scale. Parts with different
//! FIRST_VPC numbers can be written to several files of one configuration.

fn main() {
    let number = |i: usize| std::env::args().nth(i).map(|n| n.parse::<usize>());
    let (endpoints, first_vpc) = match (number(1), number(2)) {
        (Some(Ok(n)), None) => (n, 0),
        (Some(Ok(n)), Some(Ok(first))) => (n, first),
        _ => {
            eprintln!("usage: vpce-gen ENDPOINTS [FIRST_VPC]");
            std::process::exit(2);
        }
    };
    print!("{}", vpce_driver::generate::part(endpoints, first_vpc));
}
