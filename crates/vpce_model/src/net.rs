//! Network values parsed once, when the model is built: CIDR blocks and availability
//! zones keep the text the user wrote (for messages and templates) beside what it
//! means. Every later stage (rules, reachability, emitter, plan) reads the parsed value,
//! so there is one parser and one answer to "is this a CIDR".

use std::{fmt, ops::Deref};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// A CIDR block as written, with its meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub text: String,
    pub parsed: Result<IpNet, CidrError>,
}

/// Why a text is not a usable CIDR block (V200 says so).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CidrError {
    /// It does not parse (or has spaces around it).
    NotACidr,
    /// `10.0.0.1/16`: it parses but has host bits set; holds the block it would be.
    HostBits(IpNet),
}

impl Cidr {
    /// Parses strictly: an IPv6 block when the text has a `:`, else IPv4; no host bits
    /// and no surrounding spaces. Equal blocks compare equal whatever their spelling
    /// (`2001:db8::/32`, `2001:0db8::/32`).
    pub fn parse(text: &str) -> Cidr {
        let parsed = if text.trim() != text {
            Err(CidrError::NotACidr)
        } else if text.contains(':') {
            text.parse::<Ipv6Net>()
                .map(IpNet::V6)
                .map_err(|_| CidrError::NotACidr)
        } else {
            text.parse::<Ipv4Net>()
                .map(IpNet::V4)
                .map_err(|_| CidrError::NotACidr)
        };
        let parsed = parsed.and_then(|net| {
            if net.trunc() == net {
                Ok(net)
            } else {
                Err(CidrError::HostBits(net.trunc()))
            }
        });
        Cidr {
            text: text.to_string(),
            parsed,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The block, when it is valid.
    pub fn net(&self) -> Option<IpNet> {
        self.parsed.ok()
    }

    /// The block, when it is a valid IPv4 one.
    pub fn v4(&self) -> Option<Ipv4Net> {
        match self.parsed {
            Ok(IpNet::V4(net)) => Some(net),
            _ => None,
        }
    }
}

/// A fact read from text keeps the text: it derefs to it, displays it, and is written
/// out (templates, JSON) as the user wrote it.
macro_rules! as_written {
    ($($ty:ident),*) => {$(
        impl Deref for $ty {
            type Target = str;
            fn deref(&self) -> &str {
                &self.text
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }
    )*};
}

as_written!(Cidr, Zone);

/// An availability zone as written (`euw1-az1` or `eu-west-1a`), with the zone the
/// built-in table says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    pub text: String,
    /// `None` when the built-in table knows no such zone (V205/V206 say so).
    pub az: Option<Az>,
}

impl Zone {
    /// The zone's name: the built-in table's name for an AZ id, else the text as written.
    pub fn name(&self) -> &str {
        self.az.as_ref().map_or(&self.text, |az| &az.name)
    }

    pub fn parse(text: &str) -> Zone {
        Zone {
            text: text.to_string(),
            az: az_of(text),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// An AZ resolved against the built-in table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Az {
    /// The AZ id; for names this is the id the built-in table maps it to, which can
    /// differ per account (V205).
    pub id: String,
    /// The zone's name in the built-in table (`eu-west-1a`); names map to physical zones
    /// per account, so for an id this is what the simulation shows.
    pub name: String,
    pub region: String,
    pub by_name: bool,
}

fn az_of(text: &str) -> Option<Az> {
    if let Some(region) = vpce_data::region_of_az_id(text) {
        let az = region.azs.iter().find(|az| az.id == text)?;
        return Some(Az {
            id: text.to_string(),
            name: az.name.clone(),
            region: region.code.clone(),
            by_name: false,
        });
    }
    let region = vpce_data::region_of_az_name(text)?;
    let az = region.azs.iter().find(|az| az.name == text)?;
    Some(Az {
        id: az.id.clone(),
        name: text.to_string(),
        region: region.code.clone(),
        by_name: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_must_have_no_host_bits_or_spaces() {
        assert!(Cidr::parse("10.0.0.0/16").v4().is_some());
        assert_eq!(
            Cidr::parse("10.0.0.1/16").parsed,
            Err(CidrError::HostBits("10.0.0.0/16".parse().unwrap()))
        );
        assert_eq!(Cidr::parse("10.0.0.0").parsed, Err(CidrError::NotACidr));
        assert_eq!(Cidr::parse("300.0.0.0/8").parsed, Err(CidrError::NotACidr));
        assert_eq!(Cidr::parse(" 10.0.0.0/16").parsed, Err(CidrError::NotACidr));
    }

    #[test]
    fn ipv6_blocks_compare_by_value() {
        let a = Cidr::parse("2001:db8::/32").net();
        assert_eq!(a, Cidr::parse("2001:0db8::/32").net());
        assert!(a.is_some());
        assert_eq!(Cidr::parse("2001:db8::/32").v4(), None);
    }

    #[test]
    fn az_ids_and_names_resolve() {
        let id = Zone::parse("euw1-az1").az.unwrap();
        assert_eq!((id.region.as_str(), id.by_name), ("eu-west-1", false));
        // The catalogue's (moto's) mapping.
        assert_eq!(id.name, "eu-west-1b");
        let name = Zone::parse("eu-west-1a").az.unwrap();
        assert_eq!((name.region.as_str(), name.by_name), ("eu-west-1", true));
        assert!(Zone::parse("euw1-az9").az.is_none());
    }
}
